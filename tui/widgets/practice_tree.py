"""The knowledge base as a tree: areas, and under each its practices marked with their level."""
from __future__ import annotations

from typing import ClassVar

from knowledge import KnowledgeBase
from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from .text import LEVEL_SYMBOLS


class PracticeTree(Tree[str]):
    """Leaves carry the practice id as data; the level mark's colour comes from the CSS."""

    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | {
        "practice-tree--essential",
        "practice-tree--recommended",
        "practice-tree--caution",
    }

    def __init__(self, kb: KnowledgeBase, *, id: str | None = None) -> None:
        super().__init__("Practices", id=id)
        self.kb = kb
        self.show_root = False
        self.guide_depth = 2
        for area, practices in kb.by_area().items():
            area_node = self.root.add(Text(practices[0].area_title, style="bold"), data=None, expand=True)
            for practice in practices:
                # Labels are rich Text built from plain strings: content is never read as markup.
                area_node.add_leaf(Text(f"{LEVEL_SYMBOLS.get(practice.level, '·')} {practice.title}"),
                                   data=practice.id)
        self.root.expand()

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        text = super().render_label(node, base_style, style)
        practice = self.kb.get(node.data) if node.data else None
        if practice is not None:
            level_style = self.get_component_rich_style(f"practice-tree--{practice.level}", partial=True)
            start = len(text) - len(node.label)
            text.stylize(level_style, start, start + 1)
        return text

    def node_of(self, practice_id: str) -> TreeNode[str] | None:
        for area_node in self.root.children:
            for node in area_node.children:
                if node.data == practice_id:
                    return node
        return None
