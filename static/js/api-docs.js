// The API documentation page (templates/api/documentation.html): Swagger UI reads the OpenAPI document of the
// page's data-schema-url. No inline script (the site's Content-Security-Policy), no call outside the site
// (validatorUrl: null), and "Try it out" sends the token typed in « Authorize ».
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui");
  if (!container || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: container.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: false,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    layout: "BaseLayout",
  });
})();
