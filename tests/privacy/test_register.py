"""docs/privacy.md stays true: every field of every Omzien model (and of the packages in
`THIRD_PARTY_APPS`) is declared personal (under a purpose) or not personal, and every
personal field is named in the register."""

from pathlib import Path

from django.apps import apps

from omzien.privacy.personal_data import (
    PURPOSES,
    THIRD_PARTY_APPS,
    not_personal_fields,
    personal_fields,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def omzien_models():
    """Omzien's models, and those of the packages whose rows are Omzien's to account for."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("omzien.") or model._meta.app_label in THIRD_PARTY_APPS
    ]


def field_names(model) -> set[str]:
    """The stored fields and many-to-many fields a model declares (not its primary key)."""
    return {
        model_field.name
        for model_field in model._meta.get_fields()
        if (model_field.concrete or model_field.many_to_many)
        and not model_field.auto_created
        and not getattr(model_field, "primary_key", False)
    }


def declared_personal(label) -> set[str]:
    return {name for names in personal_fields().get(label, {}).values() for name in names}


def problems_of(model) -> list[str]:
    label = model._meta.label
    personal = declared_personal(label)
    other = set(not_personal_fields().get(label, []))
    fields = field_names(model)
    return (
        [
            f"{label}.{name}: neither personal nor declared not personal"
            for name in sorted(fields - personal - other)
        ]
        + [f"{label}.{name}: declared both" for name in sorted(personal & other)]
        + [f"{label}.{name}: no such field" for name in sorted((personal | other) - fields)]
    )


def test_every_field_is_declared_personal_or_not_and_never_both():
    problems = [problem for model in omzien_models() for problem in problems_of(model)]
    labels = {model._meta.label for model in omzien_models()}
    declared = set(personal_fields()) | set(not_personal_fields())
    problems += [f"{label}: no such model" for label in sorted(declared - labels)]
    assert len(labels) > 30, "the walk found too few models: it would pass for nothing"
    assert not problems, "\n".join(problems)


def test_every_personal_field_is_in_the_register():
    text = DOC.read_text(encoding="utf-8")
    missing = [
        f"{label}.{name}"
        for label, by_purpose in personal_fields().items()
        for names in by_purpose.values()
        for name in names
        if f"`{label}.{name}`" not in text
    ]
    assert not missing, f"personal fields not in docs/privacy.md: {missing}"


def test_every_purpose_is_a_known_one_with_a_section():
    text = DOC.read_text(encoding="utf-8")
    used = {purpose for by_purpose in personal_fields().values() for purpose in by_purpose}
    assert used <= set(PURPOSES)
    for purpose in used:
        assert f"(`{purpose}`" in text, purpose


def test_a_field_left_undeclared_is_reported(monkeypatch):
    from django.apps import apps as registry

    from omzien.privacy import personal_data

    monkeypatch.setitem(personal_data.NOT_PERSONAL, "places.Region", "name slug")
    problems = problems_of(registry.get_model("places.Region"))
    assert "places.Region.introduction: neither personal nor declared not personal" in problems
