from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from documents.api import auth_views, export_views, review_views, views

app_name = "api"

urlpatterns = [
    path("auth/token/", auth_views.TokenView.as_view(), name="token"),
    path("auth/logout/", auth_views.TokenLogoutView.as_view(), name="logout"),
    path("auth/logout-all/", auth_views.TokenLogoutAllView.as_view(), name="logout-all"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("documents/", views.DocumentListCreate.as_view(), name="documents"),
    path("documents/<int:pk>/", views.DocumentDetail.as_view(), name="document"),
    path("documents/<int:pk>/retry/", views.DocumentRetry.as_view(), name="document-retry"),
    path("documents/<int:pk>/reread/", views.DocumentReread.as_view(), name="document-reread"),
    path("documents/<int:pk>/pages/<int:index>/rotate/", views.PageRotate.as_view(), name="page-rotate"),
    path("documents/<int:pk>/pages/<int:index>/", views.PageRemove.as_view(), name="page"),
    path("documents/<int:pk>/approve/", review_views.DocumentApprove.as_view(), name="document-approve"),
    path("documents/<int:pk>/reject/", review_views.DocumentReject.as_view(), name="document-reject"),
    path("documents/<int:pk>/send-back/", review_views.DocumentSendBack.as_view(), name="document-send-back"),
    path("documents/<int:pk>/claim/", review_views.DocumentClaim.as_view(), name="document-claim"),
    path("fields/<int:pk>/", review_views.FieldUpdate.as_view(), name="field"),
    path("exports/", export_views.ExportBatchListCreate.as_view(), name="exports"),
    path("exports/csv/", export_views.ExportCSV.as_view(), name="export-csv"),
    path("exports/json/", export_views.ExportJSON.as_view(), name="export-json"),
    path("exports/xlsx/", export_views.ExportXLSX.as_view(), name="export-xlsx"),
    path("exports/<int:pk>/", export_views.ExportBatchDetail.as_view(), name="export"),
    path("exports/<int:pk>/download/", export_views.ExportBatchDownload.as_view(), name="export-download"),
    path("templates/", export_views.TemplateList.as_view(), name="templates"),
    path("templates/<int:pk>/", export_views.TemplateDetail.as_view(), name="template"),
    path("table-cells/<int:pk>/", review_views.TableCellUpdate.as_view(), name="table-cell"),
    path("fields/<int:pk>/revert/", review_views.FieldRevert.as_view(), name="field-revert"),
    path("fields/<int:pk>/confirm/", review_views.FieldConfirm.as_view(), name="field-confirm"),
]
