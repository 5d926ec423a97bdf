"""What every section screen shares: the navigation bar on top and the Footer below."""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen

from ..widgets.footer import SteadyFooter
from ..widgets.navbar import NavBar

if TYPE_CHECKING:
    from ..app import EksGuideApp


class SectionScreen(Screen):
    """A screen of one section (Ask, Browse, Wizards, Walkthrough)."""

    SECTION = ""

    @property
    def guide(self) -> EksGuideApp:
        """The app, typed (for its knowledge base, search engine, specs and progress)."""
        return cast("EksGuideApp", self.app)

    def compose(self) -> ComposeResult:
        yield NavBar(self.SECTION)
        yield from self.compose_body()
        yield SteadyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()
