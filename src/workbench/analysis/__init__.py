"""Analysis: pure functions from DataFrames to DataFrames, small dataclasses and sentences.

One subpackage per domain, so a newcomer finds a thing from its name:

- ``stats``        general statistics every report shares (proportions, multiple testing, power,
                   timing and shrinkage, monthly frames);
- ``customers``    segmentation, RFM, customer value, audience portraits, personas, affinity;
- ``campaigns``    campaign KPIs, breakdowns, pacing, funnels, experiments, e-mail, lessons and
                   ``campaigns.attribution`` (rules, Markov, Shapley, the comparison of models);
- ``competitors``  rivals, scorecard, SEO, on-page audit, positioning, the audit's summary;
- ``performance``  site traffic, monthly changes, forecasts, the marketing plan.

Nothing here reads files, plots or prints.
"""
