from django.urls import path

from registers import views

app_name = "registers"

urlpatterns = [
    path("index-egapro/", views.EgaproImportView.as_view(), name="egapro_import"),
]
