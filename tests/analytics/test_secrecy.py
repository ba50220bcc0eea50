"""Statistical secrecy: which figures hide under the threshold, and display of exact values."""

import datetime
from decimal import Decimal
from fractions import Fraction

from analytics import secrecy
from analytics.formatting import display
from analytics.indicators.base import Indicator, IndicatorSet, Kind, Section
from analytics.indicators.clauses import BreakdownRow


def share(key, numerator, denominator, section=Section.ANNEX):
    value = Fraction(numerator, denominator) if denominator else None
    return Indicator(key, section, Kind.SHARE, numerator, denominator, value)


def test_shares_over_fewer_structures_than_the_threshold_are_secret():
    two = share("role_president_F_share", 1, 2)
    three = share("role_president_F_share", 1, 3)
    none = share("role_president_F_share", 0, 0)

    assert secrecy.is_secret(two, secrecy_threshold=3)
    assert not secrecy.is_secret(three, secrecy_threshold=3)
    assert not secrecy.is_secret(none, secrecy_threshold=3)  # no value at all: "—", not secret
    assert not secrecy.is_secret(two, secrecy_threshold=None)  # disabled by the buyer
    assert secrecy.is_secret(three, secrecy_threshold=5)


def test_headcount_shares_follow_the_number_of_respondents_and_counts_are_never_secret():
    indicators = [
        Indicator("respondents", Section.ANNEX, Kind.COUNT, 2, None, 2),
        share("staff_all_F_share", 300, 1000),  # 1000 people, but from 2 structures
        Indicator("staff_total", Section.ANNEX, Kind.COUNT, 1000, None, 1000),
        Indicator("board_women_mean", Section.ANNEX, Kind.MEAN, None, 2, Fraction(45)),
        share("participants_F_share", 1, 2, Section.CLAUSES),
        share("hours_F_share", 10, 20, Section.CLAUSES),
        share("specifications_with_encart_share", 1, 2, Section.SPECIFICATIONS),
    ]
    indicator_set = IndicatorSet((1,), datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), indicators)

    assert secrecy.secret_keys(indicator_set, secrecy_threshold=3) == {
        "staff_all_F_share",
        "staff_total",
        "board_women_mean",
        "participants_F_share",
        # One woman: her share of the hours is her hours.
        "hours_F_share",
    }
    # With 2, two structures and two participants are enough; one woman's hours still are one person's hours.
    assert secrecy.secret_keys(indicator_set, secrecy_threshold=2) == {"hours_F_share"}


def test_display_of_hours_and_means():
    hours = Indicator("hours_F_share", Section.CLAUSES, Kind.SHARE, Decimal("45.50"), Decimal("90.00"),
                      Fraction(91, 180))  # fmt: skip
    # 91 / 180 = 50.5555... % -> 50,56 %
    assert display(hours) == "50,56\u00a0% (45,50 / 90,00)"
    assert display(Indicator("hours_total", Section.CLAUSES, Kind.HOURS, Decimal("1234.5"), None,
                             Decimal("1234.5"))) == "1\u202f234,50"  # fmt: skip
    # Board mean of 40 and 55.50: 47.75 (percentage points).
    assert display(Indicator("board_women_mean", Section.ANNEX, Kind.MEAN, None, 2, Fraction(4775, 100))) == (
        "47,75\u00a0%"
    )
    assert display(Indicator("index_median", Section.ANNEX, Kind.MEDIAN, None, 4, Fraction(159, 2))) == "79,50"


def test_a_secret_figure_loses_its_denominator_when_that_denominator_is_secret_too():
    """Two structures answered, two people did 106,50 hours: `staff_total` and `hours_total` are secret, so the
    denominators of the staff shares (the pooled headcounts) and of the shares of hours (the total of hours) are not
    written either; a share over a count of structures keeps its denominator."""
    from analytics.exports.summary import summary_rows

    indicators = [
        Indicator("respondents", Section.ANNEX, Kind.COUNT, 2, None, 2),
        Indicator("staff_total", Section.ANNEX, Kind.COUNT, 170, None, 170),
        share("staff_all_F_share", 65, 170),
        share("staff_cadres_F_share", 25, 60),
        share("role_president_F_share", 1, 2),
        Indicator("participants", Section.CLAUSES, Kind.COUNT, 2, None, 2),
        share("participants_F_share", 1, 2, Section.CLAUSES),
        share("participants_H_share", 1, 2, Section.CLAUSES),
        Indicator("hours_total", Section.CLAUSES, Kind.HOURS, Decimal("106.50"), None, Decimal("106.50")),
        Indicator("hours_F_share", Section.CLAUSES, Kind.SHARE, Decimal("35.50"), Decimal("106.50"), Fraction(1, 3)),
    ]
    indicator_set = IndicatorSet((1,), datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), indicators)
    secret = secrecy.secret_keys(indicator_set, secrecy_threshold=3)

    rows = {row.key: row for row in summary_rows(indicator_set, secrecy_threshold=3)}
    assert [rows[key].denominator for key in ("staff_all_F_share", "staff_cadres_F_share", "hours_F_share")] == [
        None,
        None,
        None,
    ]
    assert rows["role_president_F_share"].denominator == 2
    assert rows["participants_F_share"].denominator == 2
    written = [cell for row in rows.values() for cell in (row.numerator, row.denominator, row.value)]
    assert 170 not in written and 60 not in written and 106.5 not in written
    assert secrecy.secret_denominators(secret) == {"staff_all_F_share", "staff_cadres_F_share", "hours_F_share"}


def test_the_clause_report_workbook_does_not_give_a_secret_total_of_hours_as_a_denominator():
    import io

    import openpyxl

    from analytics.clause_report.exports import build_workbook

    indicators = [
        Indicator("participants", Section.CLAUSES, Kind.COUNT, 2, None, 2),
        share("participants_F_share", 1, 2, Section.CLAUSES),
        Indicator("hours_total", Section.CLAUSES, Kind.HOURS, Decimal("106.50"), None, Decimal("106.50")),
        Indicator(
            "hours_F_share", Section.CLAUSES, Kind.SHARE, Decimal("35.50"), Decimal("106.50"), Fraction(71, 213)
        ),
    ]
    content = build_workbook(
        organisation_name="Ville", year=2024, indicators=indicators, markets=[], by_market_type=[], by_employer_kind=[]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Synthèse"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]}

    assert rows["hours_F_share"][2:5] == (secrecy.SECRET_LABEL, secrecy.SECRET_LABEL, secrecy.SECRET_LABEL)
    assert rows["participants_F_share"][3] == 2  # a count of people keeps its place
    assert all(106.5 not in row for row in rows.values())


def test_hidden_parts_are_completed_by_the_smallest_others_until_they_count_the_threshold():
    sizes = {"a": 1, "b": 5, "c": 2, "d": 0, "e": 2}

    assert secrecy.with_complement(sizes, {"a"}, threshold=3) == {"a", "c"}  # 1 + 2; ties go in the order given
    assert secrecy.with_complement(sizes, {"a"}, threshold=4) == {"a", "c", "e"}
    assert secrecy.with_complement(sizes, {"b"}, threshold=3) == {"b"}
    assert secrecy.with_complement(sizes, set(), threshold=3) == set()
    assert secrecy.with_complement({"a": 1, "d": 0}, {"a"}, threshold=3) == {"a"}  # nothing left to hide with


def _row(group, sex, participants, hours="10"):
    return BreakdownRow(group=group, sex=sex, participants=participants, hours=Decimal(hours))


def test_a_hidden_breakdown_group_of_fewer_than_n_people_hides_the_next_smallest_group_too():
    # « fournitures » has one woman: hidden. Alone, the total of hours minus the other groups would give her hours.
    rows = [
        _row("fournitures", "F", 1),
        _row("services", "F", 3),
        _row("services", "H", 4),
        _row("travaux", "F", 2),
        _row("travaux", "H", 4),
    ]

    assert secrecy.secret_groups(rows, secrecy_threshold=3) == {"fournitures", "travaux"}
    assert secrecy.secret_groups(rows[1:], secrecy_threshold=3) == {"travaux"}  # 6 people: no complement needed
    assert secrecy.secret_groups(rows, secrecy_threshold=None) == set()


def test_the_markets_of_a_buyer_hide_the_next_smallest_market_when_the_hidden_ones_count_fewer_than_n():
    def market(participants, women):
        return [
            Indicator("participants", Section.CLAUSES, Kind.COUNT, participants, None, participants),
            Indicator("participants_F_share", Section.CLAUSES, Kind.SHARE, women, participants, None),
            Indicator("hours_total", Section.CLAUSES, Kind.HOURS, Decimal("10"), None, Decimal("10")),
        ]

    parts = {"M1": market(4, 2), "M2": market(2, 1), "M3": market(9, 5)}

    secret = secrecy.secret_keys_by_part(parts, secrecy_threshold=3)

    assert {"hours_total", "participants_F_share"} <= secret["M2"]
    assert {"hours_total", "participants_F_share"} <= secret["M1"]  # 2 + 4 people: the difference gives 6 or more
    assert secret["M3"] == set()
    assert secrecy.secret_keys_by_part(parts, secrecy_threshold=None) == {"M1": set(), "M2": set(), "M3": set()}
