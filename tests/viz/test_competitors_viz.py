"""Competitor charts: data in, Figure out; our brand always stands out and labels are readable."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from workbench.report.format import channel_label
from workbench.viz import competitors as charts
from workbench.viz.theme import US_COLOR


def test_channel_labels_are_the_platforms_own_names():
    assert channel_label("yandex_direct") == "Yandex Direct"
    assert channel_label("vk") == "VK"
    assert channel_label("display_ads") == "Display Ads"  # unknown lower-case code
    assert channel_label("MyPlatform") == "MyPlatform"  # written by the user: kept
    assert charts.ad_channel_label("google_ads") == "Google Ads"


def test_site_audit_chart_marks_our_domain():
    scores = pd.DataFrame({"domain": ["us.ru", "a.ru"], "score": [70.0, 85.0]})
    fig = charts.site_audit_chart(scores, "us.ru")
    ax = fig.axes[0]
    bars = {t.get_text(): p for t, p in zip(ax.get_yticklabels(), ax.patches, strict=True)}
    assert matplotlib.colors.same_color(bars["us.ru"].get_facecolor(), US_COLOR)
    assert ax.get_xlim() == (0, 100)
    plt.close(fig)


def test_channel_mix_chart_uses_readable_platform_names():
    mix = pd.DataFrame({"google_ads": [0.6, 0.2], "vk_ads": [0.4, 0.8]}, index=pd.Index(["Us", "A"], name="brand"))
    fig = charts.channel_mix_chart(mix, "Us")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["Google Ads", "VK Ads"]
    plt.close(fig)
