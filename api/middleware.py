"""Under /api/, an error answered before the API's views (a body over the upload limits: 413; a busy database:
503; a malformed request: 400) is turned into problem+json like every other error of the API."""

from api.errors import PROBLEM_JSON, is_api, problem_response


class ProblemJsonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            is_api(request)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(("application/json", PROBLEM_JSON))
        ):
            replaced = problem_response(request, status_code=response.status_code)
            if response.has_header("Retry-After"):
                replaced["Retry-After"] = response["Retry-After"]
            return replaced
        return response
