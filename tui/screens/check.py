"""Check: audit manifests against the practices, in the app.

Open a file or directory by path, or paste YAML; the findings are listed with their line, level
and rule. Enter reads the practice a finding enforces (in Browse); Ctrl+O opens its fix wizard
with the object's own values filled in. The checking itself is `knowledge.checks`, the same as
`eksguide check`.
"""
from __future__ import annotations

from pathlib import Path

from knowledge.checks import Finding, Report, check, check_text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from .base import SectionScreen

LEVEL_STYLE = {"error": "bold $error", "warning": "bold $warning", "info": "bold $accent"}


def fix_values(finding: Finding) -> dict[str, str | bool]:
    """The wizard answers a finding's fix names: --flag value, --flag (yes), --no-flag (no)."""
    values: dict[str, str | bool] = {}
    if finding.fix is None:
        return values
    for flag, value in finding.fix.flags:
        if value is None and flag.startswith("no-"):
            values[flag[3:]] = False
        elif value is None:
            values[flag] = True
        else:
            values[flag] = value
    return values


def finding_prompt(finding: Finding) -> Content:
    obj = finding.obj
    where = f"{obj.kind} {obj.namespace + '/' if obj.namespace else ''}{obj.name}"
    file = "pasted YAML" if obj.file == "-" else obj.file
    prompt = Content.from_markup(
        f"[{LEVEL_STYLE[finding.level]}]$level[/] [b]$rule[/b] [dim]$file:$line · $where[/dim]\n$message",
        level=finding.level, rule=finding.rule.id, file=file, line=str(finding.line), where=where,
        message=finding.message)
    if finding.fix is not None:
        prompt += Content.from_markup("\n[dim]fix (Ctrl+O): $fix[/dim]", fix=finding.fix.command())
    return prompt


class CheckScreen(SectionScreen):
    SECTION = "check"
    AUTO_FOCUS = "#check-path"
    BINDINGS = [
        Binding("ctrl+o", "open_fix", "Fix wizard", tooltip="Open the wizard of the highlighted finding's fix, filled in"),
        Binding("ctrl+l", "clear", "Clear", tooltip="Clear the pasted YAML and the findings"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[Finding] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="check"):
            yield Static(Content("Audit manifests offline against the practices: type a file or directory and press "
                                 "Enter, or paste YAML below. Enter on a finding reads its practice; Ctrl+O opens its "
                                 "fix wizard."), id="check-intro")
            yield Input(placeholder="path to a manifest or a directory, for example k8s/", id="check-path")
            with Horizontal(id="check-body"):
                yield TextArea(id="check-yaml", language=None, soft_wrap=False, show_line_numbers=True)
                with Vertical(id="check-results"):
                    yield Static("Nothing checked yet.", id="check-summary")
                    yield OptionList(id="check-findings")

    # ---------------------------------------------------------------- checking

    @on(Input.Submitted, "#check-path")
    def _open(self, event: Input.Submitted) -> None:
        event.stop()
        given = event.value.strip()
        if not given:
            return
        from ..cli_check import _inputs, _read

        path = Path(given).expanduser()
        if not path.exists():
            self.notify(f"There is no file or directory {given!r}.", severity="warning", markup=False)
            return
        self.show(check([_read(name, p) for name, p in _inputs([str(path)])]))

    @on(TextArea.Changed, "#check-yaml")
    def _pasted(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if text.strip():
            self.show(check_text(text, "-"))

    def show(self, report: Report) -> None:
        self.findings = sorted(report.shown(), key=lambda f: (f.obj.file, f.line, f.rule.id))
        findings = self.query_one("#check-findings", OptionList)
        findings.clear_options()
        findings.add_options([Option(finding_prompt(f), id=str(i)) for i, f in enumerate(self.findings)])
        counts = {level: sum(1 for f in self.findings if f.level == level) for level in ("error", "warning", "info")}
        parts = [f"{n} {level}" for level, n in counts.items() if n]
        summary = (", ".join(parts) or "no findings") + f" in {len(report.objects)} object(s)"
        problems = [str(p) for p in report.problems]
        if problems:
            summary += "\nNot read: " + "; ".join(problems)
        self.query_one("#check-summary", Static).update(Content(summary))
        if self.findings:
            findings.highlighted = 0

    def _current(self) -> Finding | None:
        index = self.query_one("#check-findings", OptionList).highlighted
        return self.findings[index] if index is not None and 0 <= index < len(self.findings) else None

    # ---------------------------------------------------------------- actions

    @on(OptionList.OptionSelected, "#check-findings")
    async def _read_practice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        finding = self.findings[int(event.option.id or 0)]
        await self.guide.show_practice(finding.rule.practice)

    async def action_open_fix(self) -> None:
        finding = self._current()
        if finding is None or finding.fix is None:
            self.notify("This finding has no wizard; its message says what to change.", markup=False)
            return
        await self.guide.open_wizard(finding.fix.kind)
        from .wizards import WizardScreen

        screen = self.app.screen
        if isinstance(screen, WizardScreen) and screen.spec.kind == finding.fix.kind:
            from textual.css.query import NoMatches

            for field_id, value in fix_values(finding).items():
                try:
                    screen.form.row(field_id).set_raw_value(value)
                except NoMatches:  # a flag this version's wizard does not have
                    continue

    def action_clear(self) -> None:
        self.query_one("#check-yaml", TextArea).text = ""
        self.findings = []
        self.query_one("#check-findings", OptionList).clear_options()
        self.query_one("#check-summary", Static).update("Nothing checked yet.")
