"""Hot and cold evaluation: survey templates, instances, answers, response rates, business
KPIs and the Kirkpatrick dashboard (docs/surveys.md).

Modules (nothing is imported here, so the nudge engine can import the reminders source
alone):

- ``templates``: the strict template model, the shipped FR/EN defaults
  (``templates.yaml``), answer validation;
- ``store``: the template an organisation uses (its override or the default);
- ``sweep``: ``open_due``, the daily job that opens and closes surveys from events;
- ``answers``: a respondent's surveys, answering and editing;
- ``rates``: response rates per survey, course or team;
- ``reminders``: ``SurveyReminders``, the nudge engine's source of invitations/reminders;
- ``kpi_import``: ``blendcoach import kpis``; ``cli``: the commands;
- ``levels``, ``kirkpatrick``, ``kirkpatrick_charts``: the four levels and their charts;
- ``comments``, ``themes``: offline key phrases and LLM themes with verified quotes;
- ``catalog``: item titles, modalities and session dates as surveys read them.
"""
