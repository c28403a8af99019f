"""Tools a turn names: known tools by any spelling, Latin words in Russian speech, and the topic's terms."""

from __future__ import annotations

import re
from collections.abc import Sequence

from hrlab.domain.understanding.text import Turn, flatten, unique

# Canonical name → spellings, Whisper's manglings and Russian transliterations (inflected: \w*).
_TOOL_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("Python", r"python|пайтон\w*|питон\w*"), ("Django", r"django|jango|джанг\w*"),
    ("Flask", r"flask|фласк\w*"), ("FastAPI", r"fast ?api|фаст ?апи"),
    ("PostgreSQL", r"postgres(?:ql)?|postgre|постгр\w*|пасгр\w*|поскрес\w*"),
    ("MySQL", r"my ?sql|май ?скуль\w*"), ("SQL", r"sql"), ("MongoDB", r"mongo(?:db)?|монг\w*"),
    ("ClickHouse", r"clickhouse|кликхаус\w*"), ("Oracle", r"oracle|оракл\w*"),
    ("Redis", r"redis|редис\w*"), ("Kafka", r"kafka|кафк\w*"), ("RabbitMQ", r"rabbit ?mq|rabbit|кролик\w*"),
    ("Elasticsearch", r"elastic(?:search)?|эластик\w*"), ("Docker", r"docker|doker|докер\w*"),
    ("Kubernetes", r"kubernetes|kubernetis|k8s|kube|кубер\w*"), ("Helm", r"helm|хелм\w*"),
    ("Terraform", r"terraform|терраформ\w*"), ("Ansible", r"ansible|ансибл\w*"),
    ("Jenkins", r"jenkins|дженкинс\w*"), ("GitLab", r"git ?lab|гитлаб\w*"), ("GitHub", r"git ?hub|гитхаб\w*"),
    ("Git", r"git|гит"), ("AWS", r"aws|amazon web services"), ("GCP", r"gcp|google cloud|гугл клауд\w*"),
    ("Azure", r"azure|ажур\w*"), ("Linux", r"linux|линукс\w*"), ("Nginx", r"nginx|engine ?x|нджинкс\w*"),
    ("React", r"react(?: native)?|reakt|реакт\w*"), ("Redux", r"redux|редакс\w*"),
    ("Vue", r"vue(?:\.?js)?|вью"), ("Angular", r"angular|ангуляр\w*"), ("Next.js", r"next(?:\.| )?js|некст\w*"),
    ("Node.js", r"node(?:\.| )?js|нод(?:а|е|у|ой) ?джс"), ("TypeScript", r"typescript|тайпскрипт\w*"),
    ("JavaScript", r"javascript|js|джаваскрипт\w*"), ("Java", r"java|джав(?:а|е|у|ой)"),
    ("Kotlin", r"kotlin|котлин\w*"), ("Swift", r"swift|свифт\w*"), ("Go", r"golang|голанг\w*"),
    ("C++", r"c\+\+|си плюс плюс"), ("C#", r"c#|c sharp|си шарп"), ("PHP", r"php"),
    ("Spark", r"spark|спарк\w*"), ("Airflow", r"airflow|эйрфлоу"), ("pandas", r"pandas|пандас\w*"),
    ("PyTorch", r"pytorch|пайторч\w*"), ("TensorFlow", r"tensorflow|тензорфлоу"),
    ("Selenium", r"selenium|селениум\w*"), ("pytest", r"pytest|py test|пайтест\w*|пай тест\w*"),
    ("Jest", r"jest|джест\w*"), ("Postman", r"postman|постман\w*"), ("Grafana", r"grafana|графан\w*"),
    ("Prometheus", r"prometheus|прометеус\w*"), ("Celery", r"celery|селери"), ("GraphQL", r"graphql"),
    ("Jira", r"jira|джир\w*"), ("Confluence", r"confluence|конфлюенс\w*"), ("Figma", r"figma|фигм\w*"),
    ("Excel", r"excel|эксел\w*|эксель\w*"), ("Power BI", r"power ?bi|пауэр ?би"), ("Tableau", r"tableau"),
    ("1C", r"1с|1c"), ("SAP", r"sap"), ("Salesforce", r"salesforce"), ("amoCRM", r"amo ?crm|амо ?срм\w*"),
    ("Bitrix", r"bitrix\w*|битрикс\w*"), ("Notion", r"notion"), ("Slack", r"slack|слак\w*"),
    ("Miro", r"miro"), ("Trello", r"trello|трелло"), ("Scrum", r"scrum|скрам\w*"),
    ("Kanban", r"kanban|канбан\w*"), ("Spring", r"spring boot|спринг\w*"),
)
_TOOL_RX = tuple((name, re.compile(rf"(?<![\w+#.])(?:{spelling})(?![\w+#])")) for name, spelling in _TOOL_SPELLINGS)
_LATIN_TOKEN = re.compile(r"(?<![\w])[A-Za-z][A-Za-z0-9+#]*(?:[.\-][A-Za-z0-9+#]+)*")
_NOT_TOOLS = frozenset("ok okay it hr a i vs etc ceo cto cfo qa mvp kpi okr b2b b2c ui ux".split())


def tool_spans(lower: str) -> list[tuple[int, int, str]]:
    """Where known tools are named in lower-cased text, as (start, end, canonical name), in order."""
    spans: list[tuple[int, int, str]] = []
    for name, pattern in _TOOL_RX:
        for match in pattern.finditer(lower):
            # A longer name wins: "next js" is Next.js, not also JavaScript.
            if not any(s <= match.start() and match.end() <= e for s, e, _ in spans):
                spans.append((match.start(), match.end(), name))
    return sorted(spans)


def _latin_tools(turn: Turn, covered: Sequence[tuple[int, int, str]]) -> list[str]:
    found = []
    for match in _LATIN_TOKEN.finditer(turn.raw):
        inside = any(s <= match.start() < e for s, e, _ in covered)
        if not inside and match.group().lower() not in _NOT_TOOLS:
            found.append(match.group())
    return found


def _topic_hits(turn: Turn) -> list[str]:
    hits = []
    for term in turn.topic_terms:
        words = flatten(term).split()
        if words and all(re.search(rf"\b{re.escape(w[:max(4, len(w) - 2)])}", turn.flat) for w in words):
            hits.append(term)
    return hits


def find_tools(turn: Turn) -> tuple[str, ...]:
    """Known tools, Latin words in Russian speech, and topic terms the turn mentions, in order, once."""
    spans = tool_spans(turn.lower)
    names = [name for _, _, name in spans]
    if turn.language == "ru":
        names += _latin_tools(turn, spans)
    names += _topic_hits(turn)
    return unique(names)
