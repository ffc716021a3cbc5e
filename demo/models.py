from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoObject(models.Model):
    """Which object the demo created under which stable key (e.g. "member:chair").

    `load_demo` runs on every `make run`. It finds its objects by these keys, not by name, slug
    or title, so that what editors renamed or edited is neither duplicated nor overwritten, and
    what they deleted stays deleted. Development only: the demo app is not installed in
    production.
    """

    key = models.CharField(max_length=200, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)

    class Meta:
        verbose_name = "Demo-Objekt"
        verbose_name_plural = "Demo-Objekte"

    def __str__(self):
        return self.key

    def target(self):
        """The object, as its most specific class, or None once editors deleted it."""
        model = self.content_type.model_class()
        obj = model._default_manager.filter(pk=self.object_id).first()
        if obj is not None and hasattr(obj, "specific"):
            return obj.specific
        return obj
