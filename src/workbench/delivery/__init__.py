"""Reports reach their readers: e-mail building, SMTP sending, the outbox and the delivery log.

`workbench deliver REPORT/NAME [VERSION]` is the entry point (`deliver.deliver`). Modules, one job each:
`spec` (the params file's `_delivery` block), `options` (checks of every delivery/scheduling key at
params validation), `smtp` (settings from $WORKBENCH_SMTP_URL, sending), `content` (headline numbers
and what changed), `text` (every sentence the e-mail states), `message` (the MIME message),
`outbox` (.eml files not sent), `log` (who got which version when).
"""
