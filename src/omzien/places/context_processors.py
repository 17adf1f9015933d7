from omzien.places.models import Region


def region(request):
    """The region this installation serves, for the header and the demo banner."""
    return {"region": Region.objects.order_by("pk").first()}
