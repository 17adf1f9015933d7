import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def to_script(data) -> str:
    """JSON for a <script type="application/ld+json"> element, safe to embed in HTML."""
    return mark_safe(  # noqa: S308 - every character that could close the element is escaped  # nosec B308, B703  # escaped above
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    )
