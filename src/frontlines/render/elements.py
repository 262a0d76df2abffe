"""folium elements of a frontlines map: the JS/CSS library, the place layer, and repeatable ids."""

from __future__ import annotations

import base64
from importlib import resources

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from ._payload import to_script_json

LEAFLET_VERSION = "1.9.3"
LEAFLET_JS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
LEAFLET_CSS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"


def _template_text(name: str) -> str:
    return (resources.files("frontlines.render") / "templates" / name).read_text(encoding="utf-8")


def _asset(path: str) -> bytes:
    folder = resources.files("frontlines.render") / "assets" / f"leaflet-{LEAFLET_VERSION}"
    for part in path.split("/"):  # Traversable.joinpath takes one name at a time before Python 3.11
        folder = folder / part
    return folder.read_bytes()


def _inline_script(code: str) -> str:
    # A script's text ends at the first "</script" whatever the JS means by it; split that sequence.
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


class Library(MacroElement):
    """The frontlines JavaScript and CSS, added once to the page header (inline, so no extra request)."""

    _template = Template("")

    def __init__(self, *, timeline: bool = False):
        super().__init__()
        self.timeline = timeline

    def render(self, **kwargs):
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("frontlines.render.Library must be added to a map inside a Figure")
        figure.header.add_child(Element("<style>" + _template_text("frontlines.css") + "</style>"),
                                name="frontlines_css")
        figure.header.add_child(Element(_inline_script(_template_text("frontlines.js"))), name="frontlines_js")
        if self.timeline:
            figure.header.add_child(Element(_inline_script(_template_text("timeline.js"))), name="frontlines_timeline")
        super().render(**kwargs)


def figure_of(m: folium.Map) -> Figure:
    """The page (Figure) a map is drawn in."""
    root = m.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"the map must be inside a branca Figure, not {type(root).__name__}")
    return root


def use_leaflet_only(m: folium.Map, *, offline: bool) -> None:
    """Load only Leaflet (the map needs nothing else); inline the vendored copy when ``offline``."""
    if not offline:
        m.default_js = [("leaflet", LEAFLET_JS)]
        m.default_css = [("leaflet_css", LEAFLET_CSS)]
        return
    m.default_js, m.default_css = [], []
    css = _asset("leaflet.css").decode("utf-8")
    for image in ("layers.png", "layers-2x.png"):
        uri = "data:image/png;base64," + base64.b64encode(_asset(f"images/{image}")).decode("ascii")
        css = css.replace(f"url(images/{image})", f"url({uri})")
    root = figure_of(m)
    root.header.add_child(Element("<style>" + css + "</style>"), name="leaflet_css")
    root.header.add_child(Element(_inline_script(_asset("leaflet.js").decode("utf-8"))), name="leaflet_js")


class PlaceLayer(MacroElement):
    """Every place as a marker, split into one layer group per controller, with legend and title.

    The data goes into the page once, as columns (see :func:`frontlines.render._payload.place_payload`);
    the browser builds the markers on one canvas.
    """

    _template = Template(_template_text("place_layer.js.j2"))

    def __init__(self, payload: dict, groups: list[folium.FeatureGroup], title: str = "", subtitle: str = "",
                 attribution: str = ""):
        super().__init__()
        self._name = "PlaceLayer"
        self.payload_json = to_script_json(payload)
        self.groups = groups
        self.title = title
        self.subtitle = subtitle
        self.attribution = attribution  # trusted HTML written by frontlines, never text from the data


class TimelineControl(MacroElement):
    """Date slider, play and pause, speed, steps and keyboard arrows over the places' change records.

    The JavaScript is ``templates/timeline.js``; the data (each place once, its change records, the frames)
    goes into the page once.
    """

    _template = Template(_template_text("timeline_control.js.j2"))

    def __init__(self, payload: dict, groups: list[folium.FeatureGroup], *, fps: float, start_frame: int,
                 attribution: str):
        super().__init__()
        self._name = "TimelineControl"
        self.payload_json = to_script_json(payload)
        self.groups = groups
        self.options = {"fps": fps, "startFrame": start_frame}
        self.attribution = attribution  # trusted HTML written by frontlines, never text from the data


def stable_ids(root: Element, prefix: str = "fl") -> None:
    """Replace folium's random element ids with ones numbered in tree order, so output is repeatable."""
    counter = 0
    stack = [root]
    while stack:
        element = stack.pop(0)
        element._id = f"{prefix}{counter:04d}"
        counter += 1
        stack.extend(element._children.values())
