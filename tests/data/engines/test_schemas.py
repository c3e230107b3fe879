"""GA4's BigQuery export and Metrica's Logs API visits, in their exact column layout, become sessions and
touchpoints on the engine; the same expression gives the same rows on DuckDB and Spark."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from workbench.data.engines import schemas

# The GA4 export's event row, trimmed to the fields the mapping reads, with their BigQuery types
# (https://support.google.com/analytics/answer/7029846 "[GA4] BigQuery Export schema").
_VALUE = pa.struct(
    [
        ("string_value", pa.string()),
        ("int_value", pa.int64()),
        ("float_value", pa.float64()),
        ("double_value", pa.float64()),
    ]
)
GA4_SCHEMA = pa.schema(
    [
        ("event_date", pa.string()),
        ("event_timestamp", pa.int64()),
        ("event_name", pa.string()),
        ("event_params", pa.list_(pa.struct([("key", pa.string()), ("value", _VALUE)]))),
        ("user_id", pa.string()),
        ("user_pseudo_id", pa.string()),
        ("device", pa.struct([("category", pa.string()), ("operating_system", pa.string())])),
        ("traffic_source", pa.struct([("name", pa.string()), ("medium", pa.string()), ("source", pa.string())])),
        (
            "collected_traffic_source",
            pa.struct(
                [("manual_campaign_name", pa.string()), ("manual_source", pa.string()), ("manual_medium", pa.string())]
            ),
        ),
        ("ecommerce", pa.struct([("purchase_revenue", pa.float64()), ("transaction_id", pa.string())])),
    ]
)
GA4_DDL = (
    "event_date string, event_timestamp bigint, event_name string, "
    "event_params array<struct<key:string,value:struct<string_value:string,int_value:bigint,"
    "float_value:double,double_value:double>>>, user_id string, user_pseudo_id string, "
    "device struct<category:string,operating_system:string>, "
    "traffic_source struct<name:string,medium:string,source:string>, "
    "collected_traffic_source struct<manual_campaign_name:string,manual_source:string,manual_medium:string>, "
    "ecommerce struct<purchase_revenue:double,transaction_id:string>"
)


def _event(user, session, seconds, name, page=None, source=None, medium=None, revenue=None, device="mobile"):
    params = [
        {
            "key": "ga_session_id",
            "value": {"string_value": None, "int_value": session, "float_value": None, "double_value": None},
        }
    ]
    if page:
        params.append(
            {
                "key": "page_location",
                "value": {"string_value": page, "int_value": None, "float_value": None, "double_value": None},
            }
        )
    return {
        "event_date": "20260601",
        "event_timestamp": 1_780_272_000_000_000 + seconds * 1_000_000,  # 2026-06-01 00:00 UTC + seconds
        "event_name": name,
        "event_params": params,
        "user_id": None,
        "user_pseudo_id": user,
        "device": {"category": device, "operating_system": "Android"},
        "traffic_source": {"name": None, "medium": None, "source": None},
        "collected_traffic_source": {
            "manual_campaign_name": "june" if source else None,
            "manual_source": source,
            "manual_medium": medium,
        },
        "ecommerce": {"purchase_revenue": revenue, "transaction_id": "t1" if revenue else None},
    }


EVENTS = [
    _event("u1", 11, 0, "session_start", source="google", medium="cpc"),
    _event("u1", 11, 1, "page_view", page="https://shop.example/landing"),
    _event("u1", 11, 60, "page_view", page="https://shop.example/cart"),
    _event("u1", 11, 90, "purchase", revenue=1500.0),
    _event("u2", 22, 3600, "session_start", device="desktop"),
    _event("u2", 22, 3605, "page_view", page="https://shop.example/", device="desktop"),
]


def _ga4_table(engine):
    arrow = pa.Table.from_pylist(EVENTS, schema=GA4_SCHEMA)
    if engine.name == "duckdb":
        name = f"events_{abs(hash(engine)) % 10**6}"
        engine.backend.con.register(f"{name}_src", arrow)
        engine.backend.raw_sql(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_src")
        return engine.backend.table(name)
    session = engine.backend._session
    session.createDataFrame(EVENTS, schema=GA4_DDL).createOrReplaceTempView("events_20260601")
    return engine.backend.table("events_20260601")


def test_ga4_events_become_sessions(engine):
    got = schemas.ga4_sessions(_ga4_table(engine)).execute().sort_values("session_id").set_index("session_id")
    assert list(got.index) == ["u1.11", "u2.22"]
    u1, u2 = got.loc["u1.11"], got.loc["u2.22"]
    assert pd.Timestamp(u1["started_at"]) == pd.Timestamp("2026-06-01 00:00:00")
    assert (u1["device"], u1["source"], u1["medium"], u1["campaign"]) == ("mobile", "google", "cpc", "june")
    assert u1["landing_page"] == "https://shop.example/landing"
    assert (u1["pageviews"], u1["duration_s"], bool(u1["converted"]), u1["revenue"]) == (2, 90, True, 1500.0)
    assert (u2["source"], u2["medium"], u2["device"], bool(u2["converted"])) == ("(direct)", "(none)", "desktop", False)


def test_ga4_events_become_touchpoints(engine):
    got = schemas.ga4_touchpoints(_ga4_table(engine)).execute().sort_values("user_id").reset_index(drop=True)
    assert got["channel"].tolist() == ["google / cpc", "(direct) / (none)"]
    assert got["converted"].tolist() == [True, False] and got["conversion_value"].tolist() == [1500.0, 0.0]


METRICA = pd.DataFrame(
    {
        "ym:s:visitID": [101, 102, 103],
        "ym:s:clientID": [9001, 9002, 9001],
        "ym:s:dateTime": ["2026-06-01 10:15:00", "2026-06-01 21:40:00", "2026-06-02 08:00:00"],
        "ym:s:deviceCategory": ["2", "1", "3"],
        "ym:s:lastTrafficSource": ["ad", "organic", "direct"],
        "ym:s:lastUTMSource": ["yandex", "", ""],
        "ym:s:lastUTMMedium": ["cpc", "", ""],
        "ym:s:startURL": ["https://shop.example/a", "https://shop.example/b", "https://shop.example/"],
        "ym:s:pageViews": [3, 1, 5],
        "ym:s:visitDuration": [120, 15, 300],
    }
)


def test_metrica_visits_become_sessions(engine):
    got = schemas.metrica_sessions(engine.table(METRICA)).execute().sort_values("session_id").reset_index(drop=True)
    assert got["session_id"].tolist() == ["101", "102", "103"]
    assert got["device"].tolist() == ["mobile", "desktop", "tablet"]
    assert got["source"].tolist() == ["yandex", "organic", "direct"]
    assert got["medium"].tolist() == ["cpc", "organic", "(none)"]
    assert got["landing_page"].iloc[0] == "https://shop.example/a" and got["pageviews"].tolist() == [3, 1, 5]


def test_metrica_needs_its_core_fields(duck):
    from workbench.errors import DataValidationError

    with pytest.raises(DataValidationError, match=r"Metrica visits: missing column\(s\) \['ym:s:deviceCategory'\]"):
        schemas.metrica_sessions(duck.table(METRICA.drop(columns="ym:s:deviceCategory")))
