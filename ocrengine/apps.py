from django.apps import AppConfig


class OcrEngineConfig(AppConfig):
    name = "ocrengine"
    verbose_name = "Built-in OCR engine"
