"""The xAPI outbox: every statement logged with an event is forwarded to the organisation's
LRS exactly once, in batches, retried with back-off while the LRS is down (docs/xapi.md).

- :mod:`.models`: the ``xapi_outbox`` table, one row per statement-bearing event, written in
  the event's own transaction (a listener on the event log; :mod:`coach.storage` imports it);
- :mod:`.outbox`: claiming, marking and counting rows, the events the feed reads;
- :mod:`.sender`: the LRS client and :func:`~.sender.flush` (one pass over the due rows);
- :mod:`.jobs`: the ``xapi-flush`` job on the nudges' queue; :mod:`.cli`: ``blendcoach xapi``.

Nothing is imported here: :mod:`coach.storage` loads :mod:`.models` early, before the
modules the sender needs.
"""
