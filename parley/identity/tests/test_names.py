# ruff: noqa: RUF001, RUF003, RUF100 - names in many scripts, and look-alike characters on purpose
"""Tests for the real-name rule (parley.identity.names).

Messages are lazy translations; these tests compare ``.code`` only, so they pass with or
without configured Django settings.
"""

from __future__ import annotations

import unicodedata

import pytest

from parley.identity.names import (
    NameProblem,
    bidi_isolate,
    check_personal_name,
    display_name,
    name_skeleton,
    normalise_name,
)

VALID_NAMES: list[tuple[str, str]] = [
    ("Geneviève", "Côté-Tremblay"),
    ("Seán", "Ó Súilleabháin"),
    ("D'Arcy", "McGee"),
    ("Thị Minh Khai", "Nguyễn"),
    ("Zoë", "Saldaña"),
    ("Conan", "O'Brien"),
    ("Conan", "O\u2019Brien"),
    ("José María", "Pérez de la Cruz"),
    ("محمد", "رضایی"),
    ("فاطمة", "الزهراء"),
    ("علی\u200cرضا", "محمدی"),  # Persian, ZWNJ between letters
    ("小明", "王"),
    ("민준", "김"),
    ("太郎", "山田"),
    ("さくら", "佐藤"),  # Hiragana given name, Han family name
    ("ジョン", "スミス"),
    ("अनीता", "शर्मा"),
    ("ज़ैनब", "ख़ान"),  # nukta + vowel sign on one base
    ("Γιώργος", "Παπαδόπουλος"),
    ("Иван", "Петров"),
    ("Björk", "Guðmundsdóttir"),
    ("Ólafur Ragnar", "Grímsson"),
    ("Victoria Kaʻiulani", "Cleghorn"),  # U+02BB ʻokina
    ("ʻIolani", "Kawānanakoa"),  # ʻokina opening a word
    ("Gʻafur", "Gʻulom"),  # Uzbek Latin, U+02BB
    ("Jean-Luc", "Picard"),
    ("Mary-Kate", "O'Neil"),
    ("J. Robert", "Oppenheimer"),
    ("J.R.R.", "Tolkien"),
    ("Martin Luther", "King Jr."),
    ("Gerard", "'t Hooft"),
    ("Malcolm", "X"),
    ("Søren", "Kierkegaard"),
    ("Łukasz", "Wróbel"),
    ("Ngũgĩ", "wa Thiong'o"),
    ("Chimamanda Ngozi", "Adichie"),
    ("Adébáyọ̀", "Ògúnlẹ̀sí"),
    ("İlkay", "Gündoğan"),
    ("Marcel·lí", "Domingo"),
    ("Te Rangi", "Hīroa"),
    ("שרה", "כהן"),
    ("สมชาย", "สำราญ"),  # Thai, including SARA AM (a <compat> decomposition)
    ("முத்து", "குமார்"),
    ("ნინო", "ბერიძე"),
    ("Արամ", "Խաչատրյան"),
    ("አበበ", "ቢቂላ"),
    ("john", "smith"),  # lower case is sloppy, not implausible
    ("JOHN", "SMITH"),
    ("Leonardo", "DiCaprio"),
    ("Jean\u2010Pierre", "Rampal"),  # U+2010 HYPHEN
    ("  Anna   Maria ", "\tSchmidt\n"),  # whitespace is normalised, not refused
]


@pytest.mark.parametrize(("given", "family"), VALID_NAMES)
def test_real_names_are_accepted(given: str, family: str) -> None:
    assert check_personal_name(given, family) == []


def test_nfd_input_is_accepted() -> None:
    given = unicodedata.normalize("NFD", "Geneviève")
    family = unicodedata.normalize("NFD", "Nguyễn")
    assert check_personal_name(given, family) == []


INVALID_NAMES: list[tuple[str, str, str, str]] = [
    # given, family, expected code, field
    ("xX_gamer_Xx", "Smith", "looks_like_handle", "given_name"),
    ("@jsmith", "Doe", "looks_like_handle", "given_name"),
    ("xXgamerXx", "Smith", "looks_like_handle", "given_name"),
    ("JOHN_DOE", "Smith", "looks_like_handle", "given_name"),
    ("john123", "Smith", "contains_digits", "given_name"),
    ("John", "Smith 3rd", "contains_digits", "family_name"),
    ("John", "Sm١th", "contains_digits", "family_name"),  # Arabic-Indic digit one
    ("john.smith@example.com", "Smith", "looks_like_email", "given_name"),
    ("John", "smith＠example.com", "looks_like_email", "family_name"),  # full-width @
    ("www.example.com", "Smith", "looks_like_url", "given_name"),
    ("https://x.y", "Smith", "looks_like_url", "given_name"),
    ("John", "example.com", "looks_like_url", "family_name"),
    ("Jane 😀", "Doe", "emoji", "given_name"),
    ("Jane", "Doe ❤️", "emoji", "family_name"),
    ("John\u202eeoD", "Smith", "control_characters", "given_name"),  # RTL override
    ("Jo\u200bhn", "Smith", "control_characters", "given_name"),  # zero-width space
    ("John", "\u2066Smith\u2069", "control_characters", "family_name"),  # bidi isolates
    ("John", "Smith\u200e", "control_characters", "family_name"),  # LRM
    ("John", "Smith\ufeff", "control_characters", "family_name"),  # BOM
    ("John", "Sm\u2060ith", "control_characters", "family_name"),  # word joiner
    ("John", "S\u200cmith", "control_characters", "family_name"),  # ZWNJ in a Latin word
    ("John", "Smith\x00", "control_characters", "family_name"),
    ("John", "\u3164", "control_characters", "family_name"),  # Hangul filler: blank name
    ("Jo\u00adhn", "Smith", "control_characters", "given_name"),  # soft hyphen
    ("Z\u0334\u0321\u0322\u034ea\u0337l\u0338g\u0335o", "Smith", "combining_marks", "given_name"),
    ("\u0301John", "Smith", "combining_marks", "given_name"),  # accent with no letter
    ("Jоhn", "Smith", "mixed_script", "given_name"),  # Cyrillic о
    ("John", "Smіth", "mixed_script", "family_name"),  # Cyrillic і
    ("Jοhn", "Smith", "mixed_script", "given_name"),  # Greek omicron
    ("Maria", "王", "mixed_script", "family_name"),  # scripts mixed across fields
    ("Ivan Петров", "Smith", "mixed_script", "given_name"),
    ("Cher", "", "missing_family_name", "family_name"),  # a single word: mononym
    ("", "O'Brien", "missing_given_name", "given_name"),
    ("   ", "Smith", "missing_given_name", "given_name"),
    ("John", "-", "missing_family_name", "family_name"),
    ("John", ".", "missing_family_name", "family_name"),
    ("A" * 81, "Smith", "too_long", "given_name"),
    ("𝐉𝐨𝐡𝐧", "Smith", "styled_characters", "given_name"),  # mathematical bold
    ("Ｊｏｈｎ", "Smith", "styled_characters", "given_name"),  # full-width
    ("John", "Smith!", "invalid_characters", "family_name"),
    ("John", "Smith, Jr", "invalid_characters", "family_name"),
    ("John", "Smith--Jones", "invalid_punctuation", "family_name"),
    ("-John", "Smith", "invalid_punctuation", "given_name"),
    ("John", "O''Brien", "invalid_punctuation", "family_name"),
]


@pytest.mark.parametrize(("given", "family", "code", "field"), INVALID_NAMES)
def test_implausible_names_are_refused(given: str, family: str, code: str, field: str) -> None:
    problems = check_personal_name(given, family)
    assert (code, field) in {(p.code, p.field) for p in problems}, problems


def test_problems_carry_a_message_per_code() -> None:
    problems = check_personal_name("john123", "")
    assert [p.code for p in problems] == ["contains_digits", "missing_family_name"]
    assert all(isinstance(p, NameProblem) and p.message is not None for p in problems)
    # One message per code, whatever the field.
    assert problems[0].message is check_personal_name("", "smith9")[1].message


def test_one_problem_per_code_and_field() -> None:
    problems = check_personal_name("J0hn123", "Smith")
    assert [p.code for p in problems] == ["contains_digits"]


def test_patterns_are_not_also_reported_as_invalid_characters() -> None:
    codes = {p.code for p in check_personal_name("https://x.y", "Smith")}
    assert codes == {"looks_like_url"}
    codes = {p.code for p in check_personal_name("john.smith@example.com", "Smith")}
    assert codes == {"looks_like_email"}


def test_length_limit_is_inclusive() -> None:
    assert check_personal_name("A" * 80, "Smith") == []
    # Counted after NFC: 80 precomposed letters typed as 160 code points are fine.
    assert check_personal_name(unicodedata.normalize("NFD", "é" * 80), "Smith") == []


def test_two_generic_accents_on_one_letter_are_fine_three_are_not() -> None:
    # "q" has no precomposed accented forms, so NFC keeps every mark separate.
    assert check_personal_name("Jaq\u0301\u0323", "Smith") == []
    codes = {p.code for p in check_personal_name("Jaq\u0301\u0323\u0300", "Smith")}
    assert codes == {"combining_marks"}


def test_zwj_in_persian_is_refused_but_zwnj_accepted() -> None:
    assert check_personal_name("علی\u200cرضا", "محمدی") == []
    codes = {p.code for p in check_personal_name("علی\u200dرضا", "محمدی")}
    assert codes == {"control_characters"}


def test_zwnj_at_word_edge_is_refused() -> None:
    codes = {p.code for p in check_personal_name("علی\u200c", "محمدی")}
    assert codes == {"control_characters"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (unicodedata.normalize("NFD", "Geneviève"), "Geneviève"),
        ("  Jean   Luc  ", "Jean Luc"),
        ("Jean\u00a0Luc", "Jean Luc"),
        ("山田\u3000太郎", "山田 太郎"),
        ("\tO'Brien\n", "O'Brien"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalise_name(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected
    assert unicodedata.is_normalized("NFC", normalise_name(raw))


def test_normalise_name_keeps_forbidden_characters() -> None:
    assert normalise_name("Jo\u200bhn") == "Jo\u200bhn"
    assert normalise_name("\u202eJohn") == "\u202eJohn"
    assert normalise_name("\ufeffJohn") == "\ufeffJohn"


def test_skeleton_matches_cyrillic_look_alike() -> None:
    assert name_skeleton("Jоhn", "Smith") == name_skeleton("John", "Smith")


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("JOHN", "SMITH"),
        ("Jóhn", "Smíth"),
        ("John", "Smith\u200b"),
        ("Jοhn", "Smith"),  # Greek omicron
        ("ЈОНN", "SMITH"),  # Cyrillic Ј, О, Н
        ("John", "Srnith"),  # rn ~ m
        ("John", "SmIth"),  # capital I ~ l
        ("Jo hn", "Smith"),
        (unicodedata.normalize("NFD", "John"), "Smith"),
    ],
)
def test_skeleton_collapses_look_alikes(given: str, family: str) -> None:
    assert name_skeleton(given, family) == name_skeleton("John", "Smith")


def test_skeleton_ignores_punctuation_and_field_split() -> None:
    assert name_skeleton("Mary-Kate", "O'Neil") == name_skeleton("Mary Kate", "ONeil")
    assert name_skeleton("Mary", "Kate O'Neil") == name_skeleton("Mary Kate", "O'Neil")


def test_skeleton_distinguishes_different_names() -> None:
    assert name_skeleton("John", "Smith") != name_skeleton("Jane", "Smith")
    assert name_skeleton("Иван", "Петров") != name_skeleton("Ivan", "Petrov")


def test_display_name() -> None:
    assert display_name(" Jean  Luc ", "Picard") == "Jean Luc Picard"
    assert display_name("小明", "王") == "小明 王"
    assert display_name(unicodedata.normalize("NFD", "Zoë"), "Saldaña") == "Zoë Saldaña"
    assert display_name("", "Picard") == "Picard"


def test_bidi_isolate() -> None:
    assert bidi_isolate("محمد رضایی") == "\u2068محمد رضایی\u2069"
