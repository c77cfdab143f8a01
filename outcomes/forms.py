"""The questionnaires page's form, built from the measures' definitions: one radio question per
item (0 to the scale's top), and for a measure whose items the client names (the PSFS) a name
and a rating per line. A questionnaire left wholly blank is skipped; the scoring engine
(through outcomes.services) decides whether what was given is enough.
"""

from typing import Any

from django import forms

from clinic.forms import ServiceErrorsMixin, StorableTextMixin

from .definitions import Measure
from .scoring import NAME_MAX_LENGTH


class QuestionnairesForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    def __init__(
        self,
        *args: Any,
        measures: list[Measure],
        named_before: dict[str, list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`named_before`: for each named-items measure, the names the client gave last time,
        so that the same activities are rated again."""
        super().__init__(*args, **kwargs)
        self.measures = measures
        self.measure_errors: dict[str, list[str]] = {}
        for measure in measures:
            choices = [(str(point), str(point)) for point in measure.scale.points]
            if measure.named_items is None:
                for item in measure.items:
                    self.fields[f"{measure.key}-{item.key}"] = forms.ChoiceField(
                        label=item.text, choices=choices, required=False, widget=forms.RadioSelect
                    )
                continue
            names = (named_before or {}).get(measure.key, [])
            for index in range(measure.named_items.max):
                number = index + 1
                self.fields[f"{measure.key}-name-{index}"] = forms.CharField(
                    label=f"{measure.named_items.prompt} {number}",
                    max_length=NAME_MAX_LENGTH,
                    required=False,
                    initial=names[index] if index < len(names) else "",
                )
                self.fields[f"{measure.key}-score-{index}"] = forms.ChoiceField(
                    label=f"{measure.named_items.prompt} {number}: how well can you do it today?",
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect,
                )

    def sections(self) -> list[dict[str, object]]:
        """Each measure with its bound fields, for the template."""
        sections = []
        for measure in self.measures:
            if measure.named_items is None:
                rows = [{"score": self[f"{measure.key}-{item.key}"]} for item in measure.items]
            else:
                rows = [
                    {
                        "name": self[f"{measure.key}-name-{index}"],
                        "score": self[f"{measure.key}-score-{index}"],
                    }
                    for index in range(measure.named_items.max)
                ]
            sections.append(
                {"measure": measure, "rows": rows, "errors": self.measure_errors.get(measure.key, [])}
            )
        return sections

    def answered(self) -> dict[str, dict[str, object]]:
        """{measure key: answers} for each questionnaire with anything filled in."""
        answered: dict[str, dict[str, object]] = {}
        for measure in self.measures:
            if measure.named_items is None:
                answers: dict[str, object] = {
                    item.key: _number(self.cleaned_data.get(f"{measure.key}-{item.key}"))
                    for item in measure.items
                }
                if any(value is not None for value in answers.values()):
                    answered[measure.key] = answers
                continue
            entries = []
            for index in range(measure.named_items.max):
                name = (self.cleaned_data.get(f"{measure.key}-name-{index}") or "").strip()
                rating = _number(self.cleaned_data.get(f"{measure.key}-score-{index}"))
                if name or rating is not None:
                    entries.append({"name": name, "score": rating})
            if entries:
                answered[measure.key] = {measure.named_items.key: entries}
        return answered

    def add_service_errors(self, error: Any) -> None:
        """The service's keys ("sbi", "psfs.activities.0.name") onto the matching fields."""
        names = {measure.key: measure.name for measure in self.measures}
        for key, messages in error.message_dict.items():
            field = self._field_for(key)
            if field is None and key in names:
                self.measure_errors[key] = messages
                messages = [f"{names[key]}: {message}" for message in messages]
            self.add_error(field, messages)

    def _field_for(self, key: str) -> str | None:
        parts = key.split(".")
        if len(parts) == 2 and f"{parts[0]}-{parts[1]}" in self.fields:
            return f"{parts[0]}-{parts[1]}"
        if len(parts) == 4:  # measure.list_key.index.name|score
            name = f"{parts[0]}-{parts[3]}-{parts[2]}"
            if name in self.fields:
                return name
        return None  # a whole questionnaire's error: shown at its top (sections) and in the summary


def _number(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None
