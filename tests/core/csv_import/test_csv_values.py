"""Cell values as users write them: dates, money, yes/no, stages, consent, phones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core.csv_import.export_headers import LEADDESK_EXPORT_HEADERS
from leaddesk.core.csv_import.mapping import suggest_mapping
from leaddesk.core.csv_import.reader import iter_rows, sniff
from leaddesk.core.csv_import.row_parser import CellAction, RowParser
from leaddesk.core.csv_import.value_contacts import (
    _fast_e164,
    _library_e164,
    parse_email,
    parse_phone,
)
from leaddesk.core.csv_import.value_dates import (
    DateOrder,
    detect_date_order,
    parse_date,
    parse_datetime,
)
from leaddesk.core.csv_import.value_labels import (
    merge_consent,
    merge_stage,
    parse_bool,
    parse_consent,
    parse_opt_out,
    parse_stage,
    parse_temperature,
)
from leaddesk.core.csv_import.value_numbers import detect_decimal_mark, parse_money_cents
from leaddesk.core.csv_import.values import CellValueError
from leaddesk.core.fields import Consent, Stage, Temperature

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"
# Copies of the vendor exports in ../shared/samples, so a clean clone runs this too.
SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"
UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-03T10:00:00.000+0000", dt.datetime(2026, 10, 3, 10, 0, tzinfo=UTC)),
        ("2026-08-16 09:30", dt.datetime(2026, 8, 16, 9, 30, tzinfo=UTC)),
        ("2026-05-09 14:05:00", dt.datetime(2026, 5, 9, 14, 5, tzinfo=UTC)),
        ("2026-05-09T16:05:00+02:00", dt.datetime(2026, 5, 9, 14, 5, tzinfo=UTC)),
        ("May 9, 2026", dt.datetime(2026, 5, 9, tzinfo=UTC)),
        ("09 May 2026", dt.datetime(2026, 5, 9, tzinfo=UTC)),
        ("9. Mai 2026", dt.datetime(2026, 5, 9, tzinfo=UTC)),
        ("3 de abril de 2026", dt.datetime(2026, 4, 3, tzinfo=UTC)),
        ("25.12.2026 18:30", dt.datetime(2026, 12, 25, 18, 30, tzinfo=UTC)),
        ("12/25/2026 6:30 PM", dt.datetime(2026, 12, 25, 18, 30, tzinfo=UTC)),
        ("46151", dt.datetime(2026, 5, 9, tzinfo=UTC)),  # an Excel serial day
    ],
)
def test_datetimes_in_vendor_formats(text: str, expected: dt.datetime) -> None:
    order = DateOrder.MONTH_FIRST if "/" in text else DateOrder.DAY_FIRST
    assert parse_datetime(text, order) == expected


def test_naive_times_are_taken_in_the_users_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_datetime("2026-07-01 10:00", timezone=berlin) == dt.datetime(
        2026, 7, 1, 8, 0, tzinfo=UTC
    )


def test_ambiguous_dates_follow_the_columns_order() -> None:
    assert parse_date("03/04/2026", DateOrder.DAY_FIRST) == dt.date(2026, 4, 3)
    assert parse_date("03/04/2026", DateOrder.MONTH_FIRST) == dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        (["03/04/2026", "25/04/2026"], DateOrder.DAY_FIRST),  # 25 proves day first
        (["03/04/2026", "04/25/2026"], DateOrder.MONTH_FIRST),
        (["03/04/2026", "05/06/2026"], DateOrder.MONTH_FIRST),  # slashes alone: US
        (["03.04.2026", "05.06.2026"], DateOrder.DAY_FIRST),  # dots: European
        (["2026-04-03", "25/04/2026"], DateOrder.DAY_FIRST),
    ],
)
def test_date_order_is_decided_per_column(samples: list[str], expected: DateOrder) -> None:
    assert detect_date_order(samples) == expected


def test_date_order_default_settles_an_all_ambiguous_column() -> None:
    assert detect_date_order(["03/04/2026"], DateOrder.DAY_FIRST) == DateOrder.DAY_FIRST


@pytest.mark.parametrize("text", ["soon", "31.02.2026", "2026-13-01", "13/13/2026", "Q3"])
def test_impossible_dates_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(CellValueError, match="is not a date"):
        parse_datetime(text)


@pytest.mark.parametrize("text", ["9999-12-31T23:30-05:00", "31/12/9999 23:30 -0500"])
def test_a_moment_beyond_the_calendar_in_utc_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(CellValueError, match="is too far in the future or the past"):
        parse_datetime(text)
    with pytest.raises(CellValueError, match="is too far in the future or the past"):
        parse_datetime("9999-12-31 23:30", timezone=ZoneInfo("America/New_York"))


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)))
def test_any_iso_datetime_reads_back(moment: dt.datetime) -> None:
    moment = moment.replace(tzinfo=UTC)
    assert parse_datetime(moment.isoformat()) == moment


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["true", "Yes", "y", "1", "X", "ja", "Oui", "sí", "TRUE"], True),
        (["false", "No", "n", "0", "nein", "non", "FALSE"], False),
    ],
)
def test_booleans(texts: list[str], expected: bool) -> None:
    assert {parse_bool(text) for text in texts} == {expected}


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("2000,50", 200050),
        ("1.234,56 €", 123456),
        ("$1,234.56", 123456),
        ("1 234,56", 123456),
        ("1\u202f234,56\u00a0€", 123456),
        ("EUR 99", 9900),
        ("1'234.50 CHF", 123450),
        ("-12.5", -1250),
        ("(12.00)", -1200),
        ("1,234", 123400),
        ("2.000", 200000),
        ("0.005", 1),
    ],
)
def test_money_in_either_notation(text: str, cents: int) -> None:
    assert parse_money_cents(text) == cents


def test_column_decimal_mark_settles_three_decimals() -> None:
    assert detect_decimal_mark(["12,5", "1,234"]) == ","
    assert parse_money_cents("1,234", decimal_mark=",") == 123


@pytest.mark.parametrize("text", ["about 2k", "12,34,5", "1.2.3", "€€"])
def test_not_money(text: str) -> None:
    with pytest.raises(CellValueError, match="not an amount of money"):
        parse_money_cents(text)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_money_formats_read_back(cents: int) -> None:
    euros, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    assert parse_money_cents(f"{sign}{euros:,}.{rest:02d}") == cents
    german = f"{euros:,}".replace(",", ".")
    assert parse_money_cents(f"{sign}{german},{rest:02d} €") == cents


@pytest.mark.parametrize(
    ("text", "temperature"),
    [
        ("Hot lead", Temperature.HOT),
        ("Warm", Temperature.WARM),
        ("cold", Temperature.COLD),
        ("VIP, Hot lead", Temperature.HOT),
        ("kalt", Temperature.COLD),
    ],
)
def test_temperature_labels(text: str, temperature: Temperature) -> None:
    assert parse_temperature(text) is temperature


@pytest.mark.parametrize(
    ("text", "stage", "reason"),
    [
        ("subscriber", Stage.LEAD, None),
        ("lead", Stage.LEAD, None),
        ("marketingqualifiedlead", Stage.MQL, None),
        ("salesqualifiedlead", Stage.SQL, None),
        ("opportunity", Stage.OPPORTUNITY, None),
        ("customer", Stage.CUSTOMER, None),
        ("evangelist", Stage.CUSTOMER, None),
        ("Open - Not Contacted", Stage.LEAD, None),
        ("Working - Contacted", Stage.LEAD, None),
        ("Qualified", Stage.SQL, None),
        ("Closed - Converted", Stage.CUSTOMER, None),
        ("Closed - Not Converted", Stage.DISQUALIFIED, None),
        ("Unqualified", Stage.DISQUALIFIED, None),
        ("Won", Stage.CUSTOMER, None),
        ("Lost", Stage.DISQUALIFIED, None),
        ("Bad Timing", Stage.DISQUALIFIED, "Bad timing"),
    ],
)
def test_stage_words(text: str, stage: Stage, reason: str | None) -> None:
    reading = parse_stage(text)
    assert (reading.stage, reading.disqualification_reason) == (stage, reason)


def test_unknown_stage_names_the_choices() -> None:
    with pytest.raises(CellValueError, match="Opportunity"):
        parse_stage("Blue")


@pytest.mark.parametrize(
    ("text", "consent"),
    [
        ("Marketing contact", Consent.GRANTED),
        ("Non-marketing contact", Consent.UNKNOWN),
        ("Subscribed", Consent.GRANTED),
        ("Unsubscribed", Consent.DENIED),
        ("No consent", Consent.UNKNOWN),
    ],
)
def test_consent_words(text: str, consent: Consent) -> None:
    assert parse_consent(text) is consent


def test_opted_out_is_inverted_and_not_opted_out_is_no_consent() -> None:
    assert parse_opt_out("true") is Consent.DENIED
    assert parse_opt_out("false") is Consent.UNKNOWN


def test_stage_never_moves_back_and_denial_is_never_lifted_by_a_file() -> None:
    assert merge_stage(Stage.SQL, Stage.LEAD) is Stage.SQL
    assert merge_stage(Stage.SQL, Stage.CUSTOMER) is Stage.CUSTOMER
    assert merge_stage(None, Stage.MQL) is Stage.MQL
    assert merge_stage(Stage.DISQUALIFIED, Stage.LEAD) is Stage.DISQUALIFIED
    assert merge_consent(Consent.DENIED, Consent.UNKNOWN) is Consent.DENIED
    assert merge_consent(Consent.DENIED, Consent.GRANTED) is Consent.DENIED
    assert merge_consent(Consent.GRANTED, Consent.UNKNOWN) is Consent.GRANTED
    assert merge_consent(Consent.UNKNOWN, Consent.DENIED) is Consent.DENIED


@given(st.sampled_from(list(Stage)), st.sampled_from(list(Stage)))
def test_merged_stage_is_never_behind_the_existing_one(existing: Stage, incoming: Stage) -> None:
    merged = merge_stage(existing, incoming)
    assert merged is not None
    assert merged.rank >= existing.rank


def test_emails_are_lower_cased_and_bad_ones_kept_with_a_reason() -> None:
    assert parse_email(" Emile.Schafer@Example.COM ") == "emile.schafer@example.com"
    with pytest.raises(CellValueError) as problem:
        parse_email("Anna At Example")
    assert problem.value.kept == "anna at example"


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        ("+44 20 7946 0004", None, "+442079460004"),
        ("(555) 201-0005", "US", "+15552010005"),
        ("030 5550001", "DE", "+49305550001"),
        ("0049 30 1234005", "DE", "+49301234005"),
        ("+49 (0)30 1234005", None, "+49301234005"),
        ("+1 555 201 0005 ext. 12", None, "+15552010005"),
    ],
)
def test_phones_become_e164(text: str, region: str | None, e164: str) -> None:
    assert parse_phone(text, region) == e164


def test_unreadable_phone_is_kept_as_typed_with_a_reason() -> None:
    with pytest.raises(CellValueError, match="no default country") as problem:
        parse_phone("030 5550001")
    assert problem.value.kept == "030 5550001"


@settings(max_examples=500)
@given(
    st.sampled_from(["US", "GB", "DE", "FR", "CH", "AT", "NL", "IT", "ES", "AU", "IN", "BR"]),
    st.sampled_from(["", "+", "0", "+44", "+49", "+1", "+33", "+39", "+49 0"]),
    st.text("0123456789", min_size=3, max_size=14),
)
def test_fast_phone_path_agrees_with_phonenumbers(region: str, prefix: str, digits: str) -> None:
    compact = (prefix + digits).replace(" ", "")
    fast = _fast_e164(compact, region)
    if fast is not None:
        assert fast == _library_e164(compact, region)


def _parse_file(path: Path, region: str = "DE") -> list[dict[str, object]]:
    fmt = sniff(path)
    rows = [row.values for row in iter_rows(path, fmt)]
    parser = RowParser.from_sample(suggest_mapping(fmt.headers), rows, default_region=region)
    return [parser.parse(row).values for row in rows]


def test_german_excel_file_end_to_end() -> None:
    first, second = _parse_file(FIXTURES / "excel_de_semicolon_cp1252.csv")
    assert (first["first_name"], first["last_name"], first["company"]) == (
        "Jürgen",
        "Weiß",
        "Kühne & Söhne",
    )
    assert first["phone"] == "+49305550001"
    assert first["created_at"] == dt.datetime(2026, 4, 3, tzinfo=UTC)  # 3 April, not 4 March
    assert second["created_at"] == dt.datetime(2026, 12, 25, tzinfo=UTC)
    assert second["source"] == "Referral"


def test_pipedrive_file_end_to_end() -> None:
    rows = _parse_file(FIXTURES / "pipedrive_people.csv")
    assert [(r["first_name"], r["last_name"]) for r in rows] == [
        ("Mary-Jane", "Berg"),
        ("Oğuz", "Quiñones"),
        ("Ludwig", "van der Berg"),
    ]
    assert [r["temperature"] for r in rows] == [Temperature.HOT, Temperature.COLD, Temperature.WARM]
    assert [r["consent"] for r in rows] == [Consent.GRANTED, Consent.DENIED, Consent.UNKNOWN]
    assert rows[1]["email"] == "oguz.q@example.net"
    assert rows[1]["notes"] == "Met at the fair.\nWants a call back in March"


def test_salesforce_file_end_to_end() -> None:
    hot, converted = _parse_file(FIXTURES / "salesforce_leads.csv", region="US")
    assert (hot["first_name"], hot["last_name"]) == ("Renée", "Dvořák")
    assert hot["phone"] == "+15552010000"
    assert (hot["stage"], hot["temperature"], hot["consent"]) == (
        Stage.LEAD,
        Temperature.HOT,
        Consent.UNKNOWN,
    )
    assert (converted["stage"], converted["consent"]) == (Stage.CUSTOMER, Consent.DENIED)
    assert converted["created_at"] == dt.datetime(2026, 9, 16, 23, 30, tzinfo=UTC)
    assert "owner" not in converted  # OwnerId holds ids, not names


def test_us_dates_in_an_old_mac_file() -> None:
    rows = _parse_file(FIXTURES / "old_mac_cr.csv")
    assert [r["expected_close_date"] for r in rows] == [dt.date(2026, 7, 31), dt.date(2026, 12, 1)]


def test_bad_cells_are_reported_and_the_rest_of_the_row_kept() -> None:
    mapping = suggest_mapping(["Email", "Create Date", "Rating", "Phone"])
    parser = RowParser(mapping, default_region="US")
    parsed = parser.parse(["Anna@Example.com", "someday", "Lukewarm-ish", "n/a"])
    # The fields stay empty; their text is kept in the notes.
    assert parsed.values == {
        "email": "anna@example.com",
        "notes": "Imported values:\nCreate Date: someday\nRating: Lukewarm-ish",
    }
    assert [(p.header, p.kept, p.action) for p in parsed.problems] == [
        ("Create Date", False, CellAction.NOTED),
        ("Rating", False, CellAction.NOTED),
    ]
    assert parsed.problems[0].reason == (
        "'someday' is not a date this app can read. It was kept in the notes."
    )


def test_our_own_export_escaping_is_undone_on_import() -> None:
    # The export's header row marks its apostrophes as LeadDesk's own.
    headers = list(LEADDESK_EXPORT_HEADERS)
    notes, company = headers.index("Notes"), headers.index("Company")
    cells = [""] * len(headers)
    cells[notes], cells[company], cells[0] = "'=1+1", "''=x", "Ann"
    values = RowParser(suggest_mapping(headers)).parse(cells).values
    assert (values["notes"], values["company"]) == ("=1+1", "'=x")


def test_a_users_own_apostrophe_is_kept_in_any_other_file() -> None:
    parser = RowParser(suggest_mapping(["Name", "Notes", "Company"]))
    values = parser.parse(["Ann", "'=x", "''=y"]).values
    assert (values["notes"], values["company"]) == ("'=x", "''=y")


def test_shared_vendor_samples_import_untouched() -> None:
    paths = sorted(SAMPLES.glob("*.csv"))
    assert len(paths) == 5, "tests/fixtures/samples lost a vendor sample"
    for path in paths:
        fmt = sniff(path)
        mapping = suggest_mapping(fmt.headers)
        identifying = {"first_name", "last_name", "email", "full_name"}
        assert identifying & mapping.mapped_targets, path.name
        rows = _parse_file(path, region="US")
        assert rows, path.name
        for values in rows:
            email = values.get("email")
            assert email is None or (isinstance(email, str) and email == email.lower())
            assert values.get("first_name") or values.get("last_name"), path.name
        names = {values.get("first_name") for values in rows} | {
            values.get("last_name") for values in rows
        }
        if path.name != "formula_cells.csv":
            # Every sample has accented names; mojibake would show as Ã or \ufffd.
            assert any(name and any(ord(c) > 127 for c in str(name)) for name in names)
            assert not any(name and ("Ã" in str(name) or "\ufffd" in str(name)) for name in names)
        if "Lifecycle Stage" in fmt.headers or "Status" in fmt.headers:
            assert all(isinstance(values.get("stage"), Stage) for values in rows)
        if "Rating" in fmt.headers or "Person - Label(s)" in fmt.headers:
            assert all(isinstance(values.get("temperature"), Temperature) for values in rows)
        if mapping.column_of("consent") is not None or "HasOptedOutOfEmail" in fmt.headers:
            assert {values.get("consent") for values in rows} >= {Consent.DENIED} or (
                path.name == "hubspot_contacts.csv"
            )
