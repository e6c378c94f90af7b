from django.urls import path

from documents.views import builder, documents, exports, progress, review, upload

app_name = "documents"

urlpatterns = [
    path("", documents.document_list, name="list"),
    path("upload/", upload.upload, name="upload"),
    path("exports/", exports.exports, name="exports"),
    path("templates/", builder.template_list, name="templates"),
    path("templates/builder/", builder.builder, name="template-new"),
    path("templates/builder/save", builder.save, name="template-save"),
    path("templates/builder/try", builder.try_draft, name="template-try"),
    path("templates/import", builder.import_file, name="template-import"),
    path("templates/<int:template_id>/builder/", builder.builder, name="template-builder"),
    path("templates/<int:template_id>/fields/", builder.fields, name="template-fields"),
    path("templates/<int:template_id>/export", builder.export, name="template-export"),
    path("templates/<int:template_id>/undeploy", builder.undeploy, name="template-undeploy"),
    path("templates/<int:template_id>/versions/<int:number>/deploy", builder.deploy, name="template-deploy"),
    path("templates/<int:template_id>/versions/<int:number>/image", builder.version_image, name="template-image"),
    path("exports/<int:batch_id>/download", exports.export_download, name="export-download"),
    path("documents/<int:document_id>/", review.document_detail, name="detail"),
    path("documents/next", review.next_document, name="next"),
    path("documents/<int:document_id>/approve", review.approve, name="approve"),
    path("documents/<int:document_id>/reject", review.reject, name="reject"),
    path("documents/<int:document_id>/send-back", review.send_back, name="send-back"),
    path("documents/<int:document_id>/claim", review.claim, name="claim"),
    path("documents/<int:document_id>/state", review.state, name="state"),
    path("documents/<int:document_id>/release", review.release, name="release"),
    path("documents/progress", progress.progress, name="progress"),
    path("documents/<int:document_id>/retry", progress.retry, name="retry"),
    path("batches/<uuid:batch_uuid>/", progress.batch, name="batch"),
    path("documents/<int:document_id>/original", documents.document_original, name="original"),
    path("documents/<int:document_id>/text.txt", documents.document_text, name="text"),
    path("documents/<int:document_id>/tables/<int:table_id>.csv", documents.table_csv, name="table-csv"),
    path("documents/<int:document_id>/pages/<int:index>/image", documents.page_image, name="page-image"),
    path("documents/<int:document_id>/pages/<int:index>/thumbnail", documents.page_thumbnail, name="page-thumbnail"),
]
