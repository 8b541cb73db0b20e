"""The Spanish edition's content side: display forms from CLDR (Babel) with the registry's own
wording where a display has words, prose per language checked item by item against the English,
the statistic rule reading Spanish numbers, and the renderers' own words from one table per
language.

The content is `tests/fixtures/spanish`: the suite's English content with `languages: [en-US,
es-US]` in its settings, Spanish wording in its facts.yaml and the Spanish prose in `es/`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from babel.dates import format_date
from babel.numbers import format_percent
from pptx import Presentation
from pypdf import PdfReader

from clearfacts.content.loader import content_warnings, load_content
from clearfacts.figures import find_statistics
from clearfacts.formats import formats
from clearfacts.locales import number_format
from clearfacts.model import ContentSet, Questions
from clearfacts.numbers import numbers_in
from clearfacts.options import BuildOptions
from clearfacts.render import fonts
from clearfacts.render.labels import LABEL_DIR, available, table
from clearfacts.render.pdf.booklet import render_booklet
from clearfacts.render.pdf.handout import render_handout
from clearfacts.render.pptx.deck import render_deck
from clearfacts.render.web.pages import render_index
from clearfacts.stamps import expected_stamps
from conftest import BUNDLED, edit, line_of, run

SPANISH = Path(__file__).resolve().parent / "fixtures" / "spanish"
SRC = Path(__file__).resolve().parent.parent / "src" / "clearfacts"
WHEN = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
LETTER = BuildOptions("letter", None, WHEN)
COST = "Cuestan {cost.range} y el seguro no paga."  # a sentence of es/handout.yaml


@pytest.fixture(scope="module")
def loaded() -> ContentSet:
    return load_content(SPANISH)


@pytest.fixture(scope="module")
def spanish(loaded: ContentSet) -> ContentSet:
    return loaded.in_language("es-US")


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch copy of the Spanish fixture as `content/`, the working directory beside it."""
    shutil.copytree(SPANISH, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return Path("content")


def refused(*args: str) -> list[str]:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


# --- one content set per language -----------------------------------------------------------------

def test_the_content_offers_each_language_with_its_own_prose_and_settings(loaded: ContentSet,
                                                                          spanish: ContentSet) -> None:
    assert loaded.languages == ("en-US", "es-US") and loaded.settings.language == "en-US"
    assert spanish.settings.language == "es-US" and spanish.settings.organisation == loaded.settings.organisation
    assert spanish.handout.title.text == "¿Piensa ir a una clínica de células madre? Lea esto."
    assert spanish.handout.title.loc.path.endswith("spanish/es/handout.yaml")
    assert loaded.in_language("en-US") is loaded


def test_listing_a_language_changes_no_english_output(loaded: ContentSet) -> None:
    english_only = load_content(BUNDLED)
    assert expected_stamps(loaded, LETTER, formats()) == expected_stamps(english_only, LETTER, formats())
    assert render_handout(loaded, LETTER, "s") == render_handout(english_only, LETTER, "s")


# --- display forms: CLDR, or the registry's wording ------------------------------------------------

def test_percentages_and_dates_are_written_as_cldr_writes_them_in_each_region(content: Path) -> None:
    edit(content / "settings.yaml", 'languages: ["en-US", "es-US"]', 'languages: ["en-US", "es-US", "es-ES"]')
    edit(content / "facts.yaml", '      es-US: {display: "de $5,000 a $20,000 o más"}',
         '      es-US: {display: "de $5,000 a $20,000 o más"}\n      es-ES: {display: "de 5.000 $ a 20.000 $ o más"}')
    loaded = load_content(content)
    for language, locale in (("es-US", "es_US"), ("es-ES", "es_ES")):
        facts = loaded.in_language(language).facts
        assert facts["trial.control_rate"].display == format_percent(Decimal("0.483"), locale=locale,
                                                                     decimal_quantization=False)
        assert facts["websites.safe"].display == format_percent(Decimal("0.9"), locale=locale)
        assert facts["trial.patients"].display == "97 pacientes"  # the registry's "es" wording, both regions
    assert loaded.in_language("es-US").facts["trial.control_rate"].display == "48.3%"  # CLDR es_US, as English
    assert loaded.in_language("es-ES").facts["trial.control_rate"].display == "48,3\u00a0%"  # CLDR es_ES
    assert loaded.in_language("es-ES").facts["cost.range"].display == "de 5.000 $ a 20.000 $ o más"
    assert loaded.facts["trial.control_rate"].display == "48.3%"  # the English display as written


def test_spanish_prose_shows_the_spanish_wording_of_each_fact(loaded: ContentSet, spanish: ContentSet) -> None:
    said = " ".join(t.text for t in spanish.booklet.texts())
    assert "Siguió a 97 pacientes durante 8 años." in said
    assert "juntó los resultados de 7 ensayos controlados de células madre" in said
    assert "Estas clínicas suelen cobrar de $5,000 a $20,000 o más." in said
    assert spanish.facts["fda.neuropathy"].display.startswith("la FDA no ha aprobado ninguna terapia con células madre")
    assert spanish.facts["trial.patients"].source.title == "Artículo de origen (sin título ni fecha)"
    assert "It followed 97 patients for 8 years." not in said
    assert loaded.facts["trial.patients"].display == "97 patients"


def test_the_review_date_is_written_in_the_language(spanish: ContentSet) -> None:
    data = render_handout(spanish, LETTER, "s")
    date = format_date(spanish.settings.review_date, "long", locale="es_US")
    assert date == "20 de noviembre de 2026"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert f"Revisado: {date}." in " ".join(pdf.pages[0].extract_text().split())
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "es-US"


def test_a_fact_in_words_without_spanish_wording_is_refused_naming_its_line_and_the_language(content: Path) -> None:
    edit(content / "facts.yaml", '      es: {display: "97 pacientes", unit: "pacientes"}\n', "")
    line = line_of(content / "facts.yaml", "  trial.patients:")
    assert refused("check") == [
        f"content/facts.yaml:{line}: fact 'trial.patients' has no es-US display: its display '97 patients' has "
        "words, which only a translator can carry over; add translations: {es-US: {display: \"…\"}} to it "
        "[translation-missing]"]


def test_a_spanish_display_that_does_not_show_the_value_is_refused(content: Path) -> None:
    edit(content / "facts.yaml", '{display: "97 pacientes"', '{display: "79 pacientes"')
    line = line_of(content / "facts.yaml", '"79 pacientes"')
    [message] = refused("check")
    assert message.startswith(f"content/facts.yaml:{line}: the es-US display '79 pacientes' of fact 'trial.patients'")
    assert message.endswith("[fact-display]")


# --- the statistic rule reads Spanish numbers -------------------------------------------------------

@pytest.mark.parametrize(("typed", "fact"), [
    ("48 %", "trial.control_rate"), ("48,3 %", "trial.control_rate"), ("48,3 por ciento", "trial.control_rate"),
    ("$20 mil", "cost.range"), ("20 mil dólares", "cost.range"), ("97 pacientes", "trial.patients"),
])
def test_a_statistic_typed_into_spanish_prose_is_refused_naming_its_line_and_fact(content: Path, typed: str,
                                                                                  fact: str) -> None:
    edit(content / "es" / "handout.yaml", COST, f"Cuestan {typed} y el seguro no paga.")
    line = line_of(content / "es" / "handout.yaml", "Cuestan ")
    [message] = refused("check")
    assert message.startswith(f"content/es/handout.yaml:{line}: statistic '{typed}' typed into prose: "
                              f"use a fact reference; it resembles {{{fact}}}")
    assert message.endswith("[statistic-in-prose]")


def test_48_is_never_read_inside_48_3_in_spanish(spanish: ContentSet) -> None:
    es = number_format("es-US")
    assert numbers_in("el 48,3 de cada 100", es) == (48.3, 100.0)
    assert [typed for typed, _ in find_statistics("el 48,3 de los casos", spanish.facts, es)] == ["48,3"]
    assert numbers_in("5.000 o 5,000", number_format("es-ES")) == (5000.0, 5.0)
    assert numbers_in("48,3 patients") == (48.0, 3.0)  # English: a decimal comma only before % or money


# --- missing translations -------------------------------------------------------------------------

def _drop_faq(content: Path) -> None:
    library = content / "es" / "library.yaml"
    text = library.read_text(encoding="utf-8")
    start, end = text.index('  - id: "risks"'), text.index('  - id: "find-trials"')
    library.write_text(text[:start] + text[end:], encoding="utf-8")


def test_a_missing_spanish_faq_is_refused_naming_the_english_line_and_the_spanish_file(content: Path) -> None:
    _drop_faq(content)
    line = line_of(content / "library.yaml", 'id: "risks"')
    assert refused("check") == [f"content/library.yaml:{line}: 'faqs[risks]' is not in content/es/library.yaml: "
                                "translate it into es-US [translation-missing]"]


def test_each_missing_item_is_one_finding(content: Path) -> None:
    deck = content / "es" / "deck.yaml"
    edit(deck, '    notes: "Repase el plan de la hora.', '    notas: "Repase el plan de la hora.')
    edit(deck, '      - bullets: "red_flags[1-4]"\n', "")
    found = refused("check")
    notes, bullets = line_of(content / "deck.yaml", 'notes: "Walk through the plan'), \
        line_of(content / "deck.yaml", 'bullets: "red_flags[1-4]"')
    assert f"content/deck.yaml:{notes}: 'sections[plan].notes' is not in content/es/deck.yaml: translate it into " \
           "es-US [translation-missing]" in found
    assert f"content/deck.yaml:{bullets}: 'sections[red-flags-1].blocks[2]' is not in content/es/deck.yaml: " \
           "translate it into es-US [translation-missing]" in found


def test_with_fallback_the_english_text_stands_in_and_a_warning_says_where(content: Path) -> None:
    _drop_faq(content)
    (content / "es" / "deck.yaml").unlink()
    loaded = load_content(content, allow_fallback=True)
    warned = [str(w) for w in content_warnings(loaded, dt.date(2026, 11, 20)) if w.rule == "translation-fallback"]
    line = line_of(content / "library.yaml", 'id: "risks"')
    assert warned == [f"content/library.yaml:{line}: warning: 'faqs[risks]' is not in content/es/library.yaml: the "
                      "es-US edition shows the English text [translation-fallback]",
                      "content/deck.yaml: warning: content/es/deck.yaml is missing: the es-US edition shows the "
                      "English text [translation-fallback]"]
    spanish = loaded.in_language("es-US")
    faqs = next(b for s in spanish.booklet.sections for b in s.blocks if isinstance(b, Questions))
    risks = next(q for q in faqs.items if q.id == "risks")
    assert risks.question.text == "What are the risks?" and risks.question.loc.path == "content/library.yaml"
    assert spanish.deck.title.text == "Stem cells for neuropathy"


def test_languages_must_name_cldr_locales_and_include_the_content_language(content: Path) -> None:
    settings = content / "settings.yaml"
    edit(settings, 'languages: ["en-US", "es-US"]', 'languages: ["es-US", "xx-YY"]')
    line = line_of(settings, "languages:")
    assert refused("check") == [
        f"content/settings.yaml:{line}: language 'xx-YY': CLDR (Babel) has no locale for 'xx-YY' [schema]",
        f"content/settings.yaml:{line}: 'languages' must list 'en-US', the 'language' of the content folder's own "
        "files [schema]"]


# --- the renderers' own words ---------------------------------------------------------------------

def test_every_language_has_the_same_labels_and_every_label_is_used() -> None:
    assert set(available()) >= {"en", "es"}
    keys = {language: set(table(language)) for language in available()}
    assert all(found == keys["en"] for found in keys.values()), keys
    code = " ".join(p.read_text(encoding="utf-8") for p in SRC.joinpath("render").rglob("*")
                    if p.suffix in (".py", ".j2"))
    quoted = set(re.findall(r"""["']([a-z_]+)["']""", code)) | {f.document for f in formats()}  # a kind's name
    assert keys["en"] <= quoted, sorted(keys["en"] - quoted)
    for language in available():
        fields = {key: set(re.findall(r"{(\w+)}", table(language)[key])) for key in keys["en"]}
        assert fields == {key: set(re.findall(r"{(\w+)}", table("en")[key])) for key in keys["en"]}, language
    assert {p.name for p in LABEL_DIR.iterdir() if p.suffix == ".yaml"} == {f"{lang}.yaml" for lang in available()}


def test_every_label_and_every_spanish_letter_prints_in_the_bundled_fonts() -> None:
    letters = "áéíóúñüÁÉÍÓÚÑÜ¿¡"
    for font in (fonts.BODY, fonts.BODY_BOLD, fonts.DECK, fonts.DECK_BOLD):
        cmap = fonts.metrics(font).advances
        words = "".join(value for language in available() for value in table(language).values())
        assert not {ch for ch in words + letters if ch not in cmap and not ch.isspace()}, font


def test_the_spanish_booklet_deck_and_web_page_carry_spanish_labels(spanish: ContentSet) -> None:
    with pdfplumber.open(io.BytesIO(render_booklet(spanish, LETTER, "s"))) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    assert "Contenido" in pages[1] and "Contáctenos" in pages[-1] and "Teléfono: 555-0100" in pages[-1]
    assert not any(word in " ".join(pages) for word in ("Contents", "Contact us", "Reviewed", "Phone:"))
    deck = Presentation(io.BytesIO(render_deck(spanish, LETTER, "s")))
    cover = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert "Facilitador/a: Example Facilitator" in cover
    runs = [r for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for r in p.runs]
    assert runs and {r._r.get_or_add_rPr().get("lang") for r in runs} == {"es-US"}
    page = render_index(spanish, LETTER, "s").decode("utf-8")
    assert '<html lang="es-US">' in page and ">Saltar a la hoja de señales de alerta<" in page
    assert "Revisado: 20 de noviembre de 2026." in page and "Reviewed" not in page


# --- the meeting's date and time ------------------------------------------------------------------

def _slide_texts(deck: bytes) -> list[str]:
    prs = Presentation(io.BytesIO(deck))
    return [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in prs.slides]


def test_a_meeting_typed_as_a_date_and_a_24_hour_time_reads_in_each_languages_deck(content: Path) -> None:
    """Typed YYYY-MM-DD and HH:MM, one meeting reads "Thursday, January 14, 2027 · 6:30 PM" on the
    English slides and "jueves, 14 de enero de 2027 · 6:30 p.m." on the Spanish ones (the next
    meeting on the closing slide too); the build reads both decks back clean."""
    edit(content / "settings.yaml", 'date: "Thursday, January 14, 2027"', 'date: "2027-01-14"')
    edit(content / "settings.yaml", 'time: "6:30 pm"', 'time: "18:30"')
    with (content / "settings.yaml").open("a", encoding="utf-8") as settings:
        settings.write('next_meeting:\n  date: "2027-02-11"\n  time: "09:05"\n  place: "Room 2"\n')
    loaded = load_content(content)
    english = _slide_texts(render_deck(loaded, LETTER, "s"))
    spanish = _slide_texts(render_deck(loaded.in_language("es-US"), LETTER, "s"))
    assert "Thursday, January 14, 2027 · 6:30\u00a0PM" in english[0]
    assert "jueves, 14 de enero de 2027 · 6:30\u00a0p.m." in spanish[0]
    assert "Thursday, February 11, 2027" in english[-1] and "9:05\u00a0AM" in english[-1]
    assert "jueves, 11 de febrero de 2027" in spanish[-1] and "9:05\u00a0a.m." in spanish[-1]
    assert "2027-01-14" not in " ".join(english + spanish) and "18:30" not in " ".join(english + spanish)
    assert run("build").exit_code == 0


def test_a_meeting_written_out_is_shown_as_written_in_every_language(spanish: ContentSet) -> None:
    cover = _slide_texts(render_deck(spanish, LETTER, "s"))[0]
    assert "Thursday, January 14, 2027 · 6:30 pm" in cover  # the fixture's own words: a clinic's choice


@pytest.mark.parametrize(("key", "typed", "said"), [
    ("date", "2027-02-30", "'date' in meeting is no date that exists: '2027-02-30' (YYYY-MM-DD)"),
    ("time", "24:00", "'time' in meeting is no time that exists: '24:00' (HH:MM, 00:00 to 23:59)"),
    ("time", "18:75", "'time' in meeting is no time that exists: '18:75' (HH:MM, 00:00 to 23:59)"),
])
def test_a_meeting_date_or_time_that_does_not_exist_is_refused_at_its_line(content: Path, key: str, typed: str,
                                                                          said: str) -> None:
    old = {"date": 'date: "Thursday, January 14, 2027"', "time": 'time: "6:30 pm"'}[key]
    edit(content / "settings.yaml", old, f'{key}: "{typed}"')
    line = line_of(content / "settings.yaml", f'{key}: "{typed}"')
    assert f"content/settings.yaml:{line}: {said} [schema]" in refused("build")
