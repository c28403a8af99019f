"""A parsed resume and its offline extraction from plain text or Markdown, in Russian or English.

Pure: no I/O, no network, no model. `extract_resume(text)` reads the candidate's name, language,
skills, job titles and years of experience with rules and a curated vocabulary;
`ParsedResume.from_json(obj)` validates the JSON shape below and extracts what it leaves out.

JSON shape of a resume (a `.json` resume file, and `ParsedResume.to_json()`)::

    {
      "candidateName": "Anna Petrova",        # string or null; optional
      "language": "en",                       # "ru" | "en"; optional when "text" is given
      "skills": ["Python", "PostgreSQL"],     # list of strings; optional
      "roles": ["Senior Backend Engineer"],   # list of strings; optional
      "yearsExperience": 6.5,                 # number >= 0 or null; optional
      "text": "Anna Petrova\\nSenior ..."      # string; optional
    }

At least one of "text" (non-blank) or "skills" (non-empty) is required. A field that is present
wins as given, `null` and `[]` included; a field that is absent is extracted from "text"
("language" is required when there is no text). Unknown fields are refused, so a typo is caught.
The result must still give something to interview on: at least one skill or one role.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from hrlab.errors import ResumeParseError

LANGUAGES = ("ru", "en")
MAX_TEXT_CHARS = 500_000
MIN_WORDS = 15
MAX_LIST_ITEMS = 300
MAX_ITEM_CHARS = 120
MAX_YEARS = 70.0
JSON_FIELDS = ("candidateName", "language", "skills", "roles", "yearsExperience", "text")


@dataclass(frozen=True)
class ParsedResume:
    """What hrlab knows about a candidate's resume."""

    candidate_name: str | None
    language: Literal["ru", "en"]
    skills: tuple[str, ...]
    roles: tuple[str, ...]
    years_experience: float | None
    raw_text: str

    def to_json(self) -> dict:
        """The resume in the documented JSON shape."""
        return {
            "candidateName": self.candidate_name,
            "language": self.language,
            "skills": list(self.skills),
            "roles": list(self.roles),
            "yearsExperience": self.years_experience,
            "text": self.raw_text,
        }

    @classmethod
    def from_json(cls, obj: object) -> ParsedResume:
        """Validate the documented JSON shape; fields it leaves out are extracted from "text"."""
        fields = _validate_json(obj)
        text = fields.get("text", "")
        if text.strip():
            _check_text(text)
            language = fields.get("language") or _detect_language(text)
            found = _extract_fields(text, language)
        elif "language" in fields:
            found = cls(None, fields["language"], (), (), None, text)
        else:
            raise ResumeParseError(
                'resume JSON: field "language" is required when there is no "text"', field="language"
            )
        resume = cls(
            candidate_name=fields.get("candidateName", found.candidate_name),
            language=fields.get("language", found.language),
            skills=fields.get("skills", found.skills),
            roles=fields.get("roles", found.roles),
            years_experience=fields.get("yearsExperience", found.years_experience),
            raw_text=text,
        )
        _check_interviewable(resume, count_words=False)
        return resume


def extract_resume(
    text: str, *, language: str | None = None, today: dt.date | None = None
) -> ParsedResume:
    """Extract name, language, skills, roles and years of experience from resume text."""
    if not isinstance(text, str):
        raise ResumeParseError(f"resume text must be a string, got {type(text).__name__}", field="text")
    _check_text(text)
    lang = _normalize_language(language, label="language") if language is not None else _detect_language(text)
    resume = _extract_fields(text, lang, today=today)
    _check_interviewable(resume, count_words=True)
    return resume


# --- validation -------------------------------------------------------------------------------


def _check_text(text: str) -> None:
    if not text.strip():
        raise ResumeParseError("resume text is empty", field="text")
    if len(text) > MAX_TEXT_CHARS:
        raise ResumeParseError(
            f"resume text is too long: {len(text)} characters, the limit is {MAX_TEXT_CHARS}", field="text"
        )


def _check_interviewable(resume: ParsedResume, *, count_words: bool) -> None:
    """Refuse a resume that gives an interviewer nothing to ask about."""
    if count_words and not (resume.skills or resume.roles):
        words = len(_WORD.findall(resume.raw_text))
        if words < MIN_WORDS:
            raise ResumeParseError(
                f"resume is too short to interview on: {words} words, at least {MIN_WORDS} needed, "
                "and no skills or job titles found",
                field="text",
            )
    if not (resume.skills or resume.roles):
        raise ResumeParseError(
            "resume has nothing to interview on: no known skills and no job titles found "
            "(add a 'Skills:' line or an experience line such as 'Python Developer at Acme')",
            field="skills",
        )


def _normalize_language(value: object, *, label: str) -> Literal["ru", "en"]:
    """"ru" or "en" from a code like "RU" or "en-US"; `label` names the value in the error."""
    if not isinstance(value, str):
        raise ResumeParseError(f'{label} must be "ru" or "en", got {_json_type(value)}', field="language")
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    if code not in LANGUAGES:
        raise ResumeParseError(f'{label} must be "ru" or "en", got {value!r}', field="language")
    return code  # type: ignore[return-value]


def _validate_json(obj: object) -> dict:
    """Check types and limits of each present field; return them in Python form."""
    if not isinstance(obj, dict):
        raise ResumeParseError(f"resume JSON must be an object, got {_json_type(obj)}", field="$")
    unknown = sorted(set(obj) - set(JSON_FIELDS))
    if unknown:
        raise ResumeParseError(
            f'resume JSON: unknown field "{unknown[0]}" (allowed: {", ".join(JSON_FIELDS)})', field=unknown[0]
        )
    fields: dict = {}
    if "text" in obj:
        fields["text"] = _json_str(obj["text"], "text", limit=MAX_TEXT_CHARS, allow_blank=True)
    if "language" in obj:
        fields["language"] = _normalize_language(obj["language"], label='resume JSON: field "language"')
    if "candidateName" in obj:
        name = obj["candidateName"]
        fields["candidateName"] = None if name is None else _json_str(name, "candidateName", limit=200)
    for key in ("skills", "roles"):
        if key in obj:
            fields[key] = _json_str_list(obj[key], key)
    if "yearsExperience" in obj:
        fields["yearsExperience"] = _json_years(obj["yearsExperience"])
    if not fields.get("text", "").strip() and not fields.get("skills"):
        raise ResumeParseError('resume JSON needs a non-blank "text" or a non-empty "skills" list', field="text")
    return fields


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number" if isinstance(value, (int, float)) else type(value).__name__)


def _json_str(value: object, field: str, *, limit: int, allow_blank: bool = False) -> str:
    if not isinstance(value, str):
        raise ResumeParseError(f'resume JSON: field "{field}" must be a string, got {_json_type(value)}', field=field)
    if not allow_blank and not value.strip():
        raise ResumeParseError(f'resume JSON: field "{field}" must not be blank', field=field)
    if len(value) > limit:
        raise ResumeParseError(
            f'resume JSON: field "{field}" is too long: {len(value)} characters, the limit is {limit}', field=field
        )
    return value if allow_blank else value.strip()


def _json_str_list(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ResumeParseError(
            f'resume JSON: field "{field}" must be a list of strings, got {_json_type(value)}', field=field
        )
    if len(value) > MAX_LIST_ITEMS:
        raise ResumeParseError(
            f'resume JSON: field "{field}" has {len(value)} items, the limit is {MAX_LIST_ITEMS}', field=field
        )
    items = [_json_str(item, f"{field}[{i}]", limit=MAX_ITEM_CHARS) for i, item in enumerate(value)]
    return _dedupe(items)


def _json_years(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ResumeParseError(
            f'resume JSON: field "yearsExperience" must be a number or null, got {_json_type(value)}',
            field="yearsExperience",
        )
    if not 0 <= value <= MAX_YEARS:
        raise ResumeParseError(
            f'resume JSON: field "yearsExperience" must be between 0 and {MAX_YEARS:g}, got {value}',
            field="yearsExperience",
        )
    return float(value)


def _dedupe(items) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return tuple(out)


# --- language ---------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_RU_STOPWORDS = frozenset(
    "и в во на с со по для не что как из за от до о об у к при это опыт работы работа лет года год "
    "разработка разработки компании проект проекта также его она они мы я".split()
)
_EN_STOPWORDS = frozenset(
    "the and of in on for with to at from by as is was are a an my i we our years year experience "
    "work worked working development team company project projects".split()
)


def _detect_language(text: str) -> Literal["ru", "en"]:
    """Pick ru or en by script and stopwords; tech terms in Latin do not make a Russian resume English."""
    words = _WORD.findall(text)
    cyr = sum(1 for w in words if _CYRILLIC.match(w))
    lat = sum(1 for w in words if _LATIN.match(w))
    if not cyr and not lat:
        raise ResumeParseError("resume is not in Russian or English: it has no Latin or Cyrillic words",
                               field="language")
    if cyr + lat < 0.5 * len(words):
        raise ResumeParseError(
            f"resume is not in Russian or English: only {cyr + lat} of {len(words)} words are Latin or Cyrillic",
            field="language",
        )
    lowered = [w.lower() for w in words]
    skill_words = sum(1 for w in lowered if w in _SKILL_TOKENS)
    ru_score = cyr + 2 * sum(1 for w in lowered if w in _RU_STOPWORDS)
    en_score = max(lat - skill_words, 0) + 2 * sum(1 for w in lowered if w in _EN_STOPWORDS)
    return "ru" if ru_score > en_score else "en"


# --- lines and sections -----------------------------------------------------------------------

_SECTION_NAMES = {
    "skills": (
        "skills", "technical skills", "key skills", "core skills", "hard skills", "soft skills", "tech stack",
        "stack", "technologies", "tools", "skills & tools", "навыки", "ключевые навыки", "профессиональные навыки",
        "технические навыки", "стек", "стек технологий", "технологии", "инструменты", "компетенции",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment", "employment history",
        "work history", "career", "опыт работы", "опыт", "профессиональный опыт", "места работы",
        "трудовая деятельность",
    ),
    "education": (
        "education", "courses", "certifications", "certificates", "training", "образование", "курсы",
        "сертификаты", "повышение квалификации", "дополнительное образование",
    ),
    "other": (
        "summary", "about", "about me", "profile", "objective", "contacts", "contact", "contact information",
        "languages", "projects", "interests", "hobbies", "references", "publications", "awards", "о себе",
        "обо мне", "контакты", "языки", "знание языков", "проекты", "цель", "личные качества", "хобби",
        "рекомендации", "дополнительная информация", "публикации", "награды",
    ),
}
_SECTION_OF = {name: kind for kind, names in _SECTION_NAMES.items() for name in names}
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BULLET = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+•·▪◦–—]\s+|\d{1,2}[.)]\s+)+")
_LABEL = re.compile(r"^([^:：]{1,40})[:：]\s*(.*)$")


def _plain(line: str) -> str:
    """A line without Markdown markup, bullets or extra spaces."""
    line = _MD_LINK.sub(r"\1", line)
    line = _BULLET.sub("", line)
    line = re.sub(r"\*\*|__|`|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)", "", line)
    return re.sub(r"\s+", " ", line).strip()


def _section_lines(text: str) -> list[tuple[str, str]]:
    """Each non-empty plain line with the kind of section it is in (skills/experience/education/other)."""
    kind = "other"
    out = []
    for raw in text.splitlines():
        line = _plain(raw)
        if not line:
            continue
        header = _header_kind(line)
        if header:
            kind = header
            continue
        out.append((kind, line))
    return out


def _header_kind(line: str) -> str | None:
    """The section kind when the line is a bare section title ("Skills", "Опыт работы:")."""
    name = line.rstrip(":：").strip().casefold()
    return _SECTION_OF.get(name)


def _label(line: str) -> tuple[str, str] | None:
    """Split "Label: value" into its parts (label lower-cased), or None."""
    match = _LABEL.match(line)
    if not match or "//" in match.group(2)[:2]:
        return None
    return match.group(1).strip().casefold(), match.group(2).strip()


# --- skills -----------------------------------------------------------------------------------

# (canonical name, regex aliases, case-sensitive). Case-sensitive where the lower-case form is an
# ordinary word ("go to", "rest of", "spring 2020"). Russian aliases end in \w* to take inflections.
_SKILL_VOCABULARY: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Python", (r"python", r"питон\w*", r"пайтон\w*"), False),
    ("Java", (r"java", r"джав(?:а|е|ой|у)"), False),
    ("Kotlin", (r"kotlin",), False),
    ("Scala", (r"scala",), False),
    ("Go", (r"Go", r"Golang"), True),
    ("Rust", (r"rust",), False),
    ("C++", (r"c\+\+",), False),
    ("C#", (r"c#",), False),
    ("JavaScript", (r"javascript", r"(?-i:JS)", r"ES6", r"джаваскрипт\w*"), False),
    ("TypeScript", (r"typescript", r"тайпскрипт\w*"), False),
    ("PHP", (r"php",), False),
    ("Ruby", (r"ruby",), False),
    ("Swift", (r"Swift",), True),
    ("SQL", (r"sql",), False),
    ("Bash", (r"bash", r"shell scripting"), False),
    ("Perl", (r"perl",), False),
    ("MATLAB", (r"matlab",), False),
    ("Dart", (r"Dart",), True),
    ("1C", (r"1[СсCc](?::\s?предприятие)?",), False),
    ("Django", (r"django", r"джанго"), False),
    ("Flask", (r"flask", r"фласк\w*"), False),
    ("FastAPI", (r"fastapi",), False),
    ("SQLAlchemy", (r"sqlalchemy",), False),
    ("Celery", (r"celery",), False),
    ("asyncio", (r"asyncio",), False),
    ("Spring", (r"Spring", r"Spring Boot", r"(?i:спринг\w*)", r"(?i:спрайн\w*)"), True),
    ("Node.js", (r"node\.?js", r"(?-i:Node)"), False),
    ("React", (r"react(?:\.js)?", r"реакт(?:а|е|ом|у)?"), False),
    ("Vue.js", (r"vue(?:\.js)?",), False),
    ("Angular", (r"angular",), False),
    (".NET", (r"\.net", r"asp\.net"), False),
    ("Ruby on Rails", (r"ruby on rails", r"(?-i:Rails)"), False),
    ("Next.js", (r"next\.js",), False),
    ("Redux", (r"redux",), False),
    ("Jest", (r"Jest",), True),
    ("Hibernate", (r"hibernate",), False),
    ("Android", (r"android",), False),
    ("iOS", (r"iOS",), True),
    ("Flutter", (r"flutter",), False),
    ("HTML", (r"html5?",), False),
    ("CSS", (r"css3?",), False),
    ("PostgreSQL", (r"postgresql", r"postgres", r"постгр\w*"), False),
    ("MySQL", (r"mysql",), False),
    ("SQLite", (r"sqlite",), False),
    ("MongoDB", (r"mongodb", r"mongo"), False),
    ("Redis", (r"redis", r"редис\w*"), False),
    ("Elasticsearch", (r"elasticsearch", r"elastic search", r"opensearch"), False),
    ("ClickHouse", (r"clickhouse", r"кликхаус\w*"), False),
    ("Cassandra", (r"cassandra",), False),
    ("Oracle", (r"oracle",), False),
    ("MS SQL Server", (r"ms sql(?: server)?", r"sql server", r"mssql"), False),
    ("Greenplum", (r"greenplum",), False),
    ("Vertica", (r"vertica",), False),
    ("Snowflake", (r"snowflake",), False),
    ("BigQuery", (r"bigquery", r"бигквер\w*"), False),
    ("Kafka", (r"kafka", r"кафк\w*"), False),
    ("RabbitMQ", (r"rabbitmq",), False),
    ("Airflow", (r"airflow", r"эйрфло\w*"), False),
    ("Spark", (r"Spark", r"Apache Spark", r"PySpark"), True),
    ("Hadoop", (r"hadoop", r"hdfs"), False),
    ("Hive", (r"Hive",), True),
    ("Flink", (r"flink",), False),
    ("dbt", (r"dbt",), False),
    ("Superset", (r"superset",), False),
    ("Tableau", (r"tableau",), False),
    ("Power BI", (r"power bi",), False),
    ("Excel", (r"Excel", r"MS Excel"), True),
    ("pandas", (r"pandas",), False),
    ("NumPy", (r"numpy",), False),
    ("scikit-learn", (r"scikit-learn", r"sklearn"), False),
    ("PyTorch", (r"pytorch", r"пайторч\w*"), False),
    ("TensorFlow", (r"tensorflow",), False),
    ("Keras", (r"keras",), False),
    ("MLflow", (r"mlflow",), False),
    ("OpenCV", (r"opencv",), False),
    ("Docker", (r"docker", r"докер\w*"), False),
    ("Kubernetes", (r"kubernetes", r"k8s", r"кубер\w*"), False),  # «кубер»: what Russian speakers call it
    ("Helm", (r"Helm", r"(?i:хелм\w*)"), True),
    ("Terraform", (r"terraform", r"терраформ\w*"), False),
    ("Ansible", (r"ansible",), False),
    ("AWS", (r"aws", r"amazon web services"), False),
    ("GCP", (r"gcp", r"google cloud(?: platform)?"), False),
    ("Azure", (r"azure",), False),
    ("Yandex Cloud", (r"yandex cloud", r"яндекс[\s.]облак\w*"), False),
    ("Linux", (r"linux", r"линукс\w*"), False),
    ("Git", (r"git",), False),
    ("GitLab CI", (r"gitlab ci(?:/cd)?", r"gitlab"), False),
    ("GitHub Actions", (r"github actions",), False),
    ("Jenkins", (r"jenkins", r"дженкинс\w*"), False),
    ("Nginx", (r"nginx",), False),
    ("Prometheus", (r"prometheus",), False),
    ("Grafana", (r"grafana",), False),
    ("pytest", (r"pytest",), False),
    ("Selenium", (r"selenium",), False),
    ("Playwright", (r"playwright",), False),
    ("Cypress", (r"cypress",), False),
    ("Postman", (r"postman",), False),
    ("Zabbix", (r"zabbix",), False),
    ("Jira", (r"jira",), False),
    ("Figma", (r"figma",), False),
    ("REST API", (r"REST(?:ful)?(?: API)?", r"REST-API"), True),
    ("GraphQL", (r"graphql",), False),
    ("gRPC", (r"grpc",), False),
    ("CI/CD", (r"ci/cd", r"ci-cd"), False),
    ("ETL", (r"etl", r"elt"), False),
    ("Microservices", (r"microservices?", r"микросервис\w*"), False),
    ("System Design", (r"system design", r"проектировани\w* систем", r"системн\w* дизайн\w*"), False),
    ("Data Warehousing", (r"data warehous\w*", r"dwh", r"хранилищ\w* данных"), False),
    ("Data Modeling", (r"data modell?ing", r"моделировани\w* данных"), False),
    ("Data Analysis", (r"data analysis", r"анализ\w* данных", r"аналитика данных"), False),
    ("Big Data", (r"big data", r"больши\w* данны\w*"), False),
    ("Machine Learning", (r"machine learning", r"(?-i:ML)", r"машинн\w* обучени\w*"), False),
    ("Deep Learning", (r"deep learning", r"глубок\w* обучени\w*"), False),
    ("NLP", (r"nlp", r"natural language processing", r"обработк\w* естественного языка"), False),
    ("Computer Vision", (r"computer vision", r"компьютерн\w* зрени\w*"), False),
    ("Statistics", (r"statistics", r"статистик\w*"), False),
    ("A/B Testing", (r"a/b test\w*", r"a/b тест\w*"), False),
    ("Unit Testing", (r"unit test\w*", r"юнит тест\w*", r"модульн\w* тест\w*"), False),
    ("Code Review", (r"code review\w*", r"код ревью", r"ревью кода"), False),
    ("Agile", (r"agile",), False),
    ("Scrum", (r"scrum",), False),
    ("Kanban", (r"kanban",), False),
    ("Project Management", (r"project management", r"управлени\w* проект\w*"), False),
    ("Team Leadership", (r"team leadership", r"leading (?:a )?teams?", r"управлени\w* команд\w*",
                         r"руководств\w* команд\w*"), False),
    ("Mentoring", (r"mentoring", r"mentored", r"менторств\w*", r"наставничеств\w*"), False),
    ("Communication", (r"communication skills", r"коммуникабельност\w*"), False),
    ("Public Speaking", (r"public speaking", r"публичн\w* выступлени\w*"), False),
    ("Technical Writing", (r"technical writing", r"техническ\w* документаци\w*"), False),
    ("Stakeholder Management", (r"stakeholder management", r"работ\w* со? стейкхолдер\w*"), False),
)
# Letters, digits and joiners that continue a term; "Node" must not match inside "Node.js".
_BEFORE = r"(?<![\w+#])(?<![\w]\.)"
_AFTER = r"(?![\w+#])(?!\.[\w])(?!/[\w])"


def _compile_vocabulary():
    compiled = []
    for name, aliases, case_sensitive in _SKILL_VOCABULARY:
        body = "|".join(alias.replace(" ", r"[\s-]+") for alias in aliases)
        flags = 0 if case_sensitive else re.IGNORECASE
        compiled.append((name, re.compile(f"{_BEFORE}(?:{body}){_AFTER}", flags)))
    return tuple(compiled)


_SKILL_PATTERNS = _compile_vocabulary()
_SKILL_TOKENS = frozenset(
    word.lower() for name, _, _ in _SKILL_VOCABULARY for word in re.findall(r"[A-Za-z]+", name)
) | {"js", "postgres", "sklearn", "k8s", "golang", "pyspark", "api", "ci", "cd"}
_SKILL_ITEM_SPLIT = re.compile(r"\s*(?:[,;|•·▪]|\(|\)|\band\b|\bи\b)\s*")
_LEVEL_SUFFIX = re.compile(r"\s+[-–—]\s.*$")  # "Python — 5 years" -> "Python"


def _find_skills(lines: list[tuple[str, str]]) -> tuple[str, ...]:
    """Vocabulary terms anywhere in the text, plus the items of "Skills:" sections, in text order."""
    found: list[tuple[int, int, str]] = []  # (line number, column, name)
    for number, (kind, line) in enumerate(lines):
        for name, pattern in _SKILL_PATTERNS:
            match = pattern.search(line)
            if match:
                found.append((number, match.start(), name))
        for item in _section_skill_items(kind, line):
            found.append((number, line.find(item), _canonical_skill(item) or item))
    found.sort()
    return _dedupe(name for _, _, name in found)


def _section_skill_items(kind: str, line: str) -> list[str]:
    """Comma-separated items of a skills line: inside a skills section, or after "Skills:"."""
    label = _label(line)
    if label and _SECTION_OF.get(label[0]) == "skills":
        values = label[1]
    elif kind == "skills":
        # A sub-label like "Languages: Python, Go" inside the section is not a skill itself.
        values = label[1] if label and len(label[0].split()) <= 3 else line
    else:
        return []
    items = (_LEVEL_SUFFIX.sub("", item).strip(" .:;!*\"'«»") for item in _SKILL_ITEM_SPLIT.split(values))
    return [item for item in items if _looks_like_skill(item)]


def _looks_like_skill(item: str) -> bool:
    words = item.split()
    return (
        0 < len(words) <= 4
        and len(item) <= 40
        and re.search(r"[^\W\d_]", item) is not None
        and not re.search(r"\d{4}", item)
    )


_PATTERN_OF_SKILL = dict(_SKILL_PATTERNS)
_CASE_SENSITIVE_SKILLS = frozenset(name for name, _, case_sensitive in _SKILL_VOCABULARY if case_sensitive)


def skill_is_case_sensitive(skill: str) -> bool:
    """Whether the vocabulary matches `skill` only as written ("Spring", not the season "spring")."""
    return skill in _CASE_SENSITIVE_SKILLS


def names_skill(text: str, skill: str) -> bool | None:
    """Whether `text` names the vocabulary skill `skill`, in any of its spellings ("постгрес" names
    PostgreSQL, as Russian speakers say it and as STT writes it); None for a skill outside the vocabulary."""
    pattern = _PATTERN_OF_SKILL.get(skill)
    return None if pattern is None else pattern.search(text) is not None


def _canonical_skill(item: str) -> str | None:
    """The vocabulary name when the whole item is a known term."""
    for name, pattern in _SKILL_PATTERNS:
        match = pattern.fullmatch(item)
        if match:
            return name
    return None


# --- candidate name ---------------------------------------------------------------------------

_NAME_LABELS = frozenset(
    ("name", "full name", "candidate", "candidate name", "имя", "фио", "ф.и.о.", "ф. и. о.", "кандидат",
     "имя и фамилия", "фамилия и имя", "фамилия имя отчество")
)
_NAME_WORD = re.compile(
    r"^(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]{2,}|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ]?[а-яё]+)*|[А-ЯЁ]{2,}|[A-ZА-ЯЁ]\.)$"
)
_RESUME_PREFIX = re.compile(r"^(?:resume|résumé|cv|curriculum vitae|резюме)\b\s*[:—–-]?\s*", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"\s+[—–|-]\s+|\s*[,|(]\s*")


def _find_name(lines: list[tuple[str, str]]) -> str | None:
    """A "Name:" field anywhere, else the first of the top lines that reads as a person's name."""
    for _, line in lines:
        label = _label(line)
        if label and label[0] in _NAME_LABELS and _looks_like_name(label[1]):
            return _tidy_name(label[1])
    for _, line in lines[:5]:
        first = _NAME_SEPARATORS.split(_RESUME_PREFIX.sub("", line), maxsplit=1)[0].strip()
        if _looks_like_name(first):
            return _tidy_name(first)
    return None


def _looks_like_name(value: str) -> bool:
    words = value.split()
    if not 2 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words):
        return False
    if _CYRILLIC.search(value) and _LATIN.search(value):
        return False
    lowered = {w.lower().strip(".") for w in words}
    return not (lowered & _ROLE_HEADS or lowered & _SKILL_TOKENS or value.casefold() in _SECTION_OF)


def _tidy_name(value: str) -> str:
    words = value.split()
    return " ".join(w.capitalize() if w.isupper() and len(w) > 2 else w for w in words)


# --- roles ------------------------------------------------------------------------------------

_ROLE_HEADS = frozenset(
    "developer engineer programmer architect analyst scientist manager lead designer administrator consultant "
    "tester specialist intern director cto cio cpo devops sre qa head officer researcher owner teamlead techlead "
    "разработчик программист инженер аналитик архитектор руководитель менеджер тестировщик администратор "
    "дизайнер стажер стажёр специалист тимлид техлид директор консультант исследователь".split()
)
# Lower-case words allowed inside an English title ("Head of data", "Senior Python developer").
_TITLE_SMALL_WORDS = frozenset(
    "of and & for the de senior junior middle lead principal staff chief backend back-end frontend front-end "
    "full-stack fullstack software data machine learning platform infrastructure cloud mobile web "
    "engineering product project".split()
)
_ROLE_LABELS = frozenset(
    ("position", "title", "job title", "role", "current role", "current position", "desired position",
     "target role", "должность", "позиция", "желаемая должность", "текущая должность", "специализация")
)
_ROLE_SEPARATORS = re.compile(
    r"\s+(?:at|@|in|for|with|в|во|с|со)\s+|\s+[—–|·-]\s+|\s*[,;|()]\s*|\s+[—–]|[—–]\s+"
)
_EDUCATION_WORDS = re.compile(
    r"universit|college|school|institute|academy|bachelor|master|degree|phd|diploma|"
    r"университет|институт|академи|колледж|училищ|бакалавр|магистр|аспирантур|диплом|школ",
    re.IGNORECASE,
)


def _find_roles(lines: list[tuple[str, str]]) -> tuple[str, ...]:
    """Job titles from experience lines ("Senior Python Developer at X", "Ведущий разработчик")."""
    found: list[tuple[str, bool]] = []  # (title, from a job entry rather than prose)
    for kind, line in lines:
        if kind in ("skills", "education") or len(line.split()) > 16:
            continue
        label = _label(line)
        if label and label[0] in _ROLE_LABELS:
            segments = _ROLE_SEPARATORS.split(label[1])[:1]
        elif label and not _DATE_RANGE.search(label[0]):
            continue  # "Email: ...", "Languages: ..." hold no titles
        else:
            segments = _ROLE_SEPARATORS.split(label[1] if label else line)
        job_entry = kind == "experience" or bool(label) or bool(_DATE_RANGE.search(line) or _AT.search(line))
        found.extend((seg.strip(" .:*"), job_entry) for seg in segments if _looks_like_title(seg.strip(" .:*")))
    return _dedupe(_drop_prose_repeats(found))


_AT = re.compile(r"\s(?:at|@)\s", re.IGNORECASE)


def _drop_prose_repeats(found: list[tuple[str, bool]]) -> list[str]:
    """Drop a title from prose ("Backend engineer with ...") that a job entry already names in full."""
    entries = [title.casefold() for title, job_entry in found if job_entry]
    return [
        title for title, job_entry in found
        if job_entry or not any(e == title.casefold() or e.endswith(" " + title.casefold()) for e in entries)
    ]


def _looks_like_title(segment: str) -> bool:
    words = segment.split()
    if not 1 <= len(words) <= 7 or len(segment) > 70 or not segment[:1].isupper():
        return False
    if re.search(r"\d{4}|@|https?:|www\.", segment):
        return False
    tokens = [t for t in re.split(r"[\s/-]+", segment.lower()) if t]
    if not any(t in _ROLE_HEADS for t in tokens):
        return False
    if _CYRILLIC.search(segment):
        # Russian titles are sentence case; the head noun comes early and in the nominative.
        return any(t in _ROLE_HEADS for t in tokens[:3])
    return all(
        w[:1].isupper() or w.lower() in _TITLE_SMALL_WORDS or w.lower() in _ROLE_HEADS or w.lower() in _SKILL_TOKENS
        for w in words
    )


# --- years of experience ----------------------------------------------------------------------

_NUM = r"(\d{1,2}(?:[.,]\d)?)"
_EXPLICIT_YEARS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"{_NUM}\s*\+?\s*(?:years?|yrs?)\.?(?:\s+(?:of|in))?(?:\s+[\w-]+){{0,3}}?\s+experience",
        rf"experience\s*(?:of|:|—|–|-)?\s*(?:over|more than|about|almost)?\s*{_NUM}\s*\+?\s*(?:years?|yrs?)",
        rf"опыт\w*(?:\s+работы)?(?:\s+[\w-]+){{0,2}}?\s*[:—–-]?\s*(?:более|свыше|около|больше|почти)?\s*"
        rf"{_NUM}\s*\+?\s*(?:лет|года?|г\.)(?:\s+(\d{{1,2}})\s*месяц\w*)?",
        rf"{_NUM}\s*\+?\s*(?:лет|года?)\s+(?:[\w-]+\s+){{0,2}}?опыт",
        rf"{_NUM}\s*\+\s*(?:years?|yrs?|лет|года?)\b",
    )
)
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12, "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6, "июл": 7,
    "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}
# [month name | MM. | MM/] YYYY [-MM]; groups: month name, month number, year, month after the year.
_DATE = r"(?:([^\W\d_]{{3,9}})\.?\s+|(\d{{1,2}})[./])?(?<!\d)((?:19|20)\d{{2}})(?:[-./](\d{{2}})(?!\d))?(?!\d)"
_PRESENT = (
    r"(?:по\s+)?(?:present|now|current(?:ly)?|today|ongoing|настоящее\s+время|наст\.?\s*вр(?:емя|\.)?|"
    r"н\.\s?в\.?|нв|сейчас|текущее\s+время)(?!\w)"
)
_DATE_RANGE = re.compile(
    rf"{_DATE.format()}\s*(?:[–—‒−-]+|\bto\b|\buntil\b|\btill\b|\bпо\b|\bдо\b)\s*(?:{_PRESENT}|{_DATE.format()})",
    re.IGNORECASE,
)


def _explicit_years(text: str) -> float | None:
    """The largest stated total ("7+ years of experience", "опыт работы 6 лет 2 месяца")."""
    values = []
    for pattern in _EXPLICIT_YEARS:
        for match in pattern.finditer(text):
            years = float(match.group(1).replace(",", "."))
            months = match.group(2) if pattern.groups > 1 else None
            years += int(months) / 12 if months else 0
            if 0 < years <= MAX_YEARS:
                values.append(years)
    return round(max(values), 1) if values else None


def _range_months(lines: list[tuple[str, str]], today: dt.date) -> list[tuple[int, int]]:
    """Work periods as [start, end) month indexes, education excluded."""
    now = today.year * 12 + today.month  # exclusive: the current month counts
    periods = []
    for kind, line in lines:
        if kind == "education" or _EDUCATION_WORDS.search(line):
            continue
        for match in _DATE_RANGE.finditer(line):
            start, end = _period(match, now)
            if 1950 * 12 <= start < end:
                periods.append((start, min(end, now)))
    return periods


def _period(match: re.Match, now: int) -> tuple[int, int]:
    word1, num1, year1, after1, word2, num2, year2, after2 = match.groups()
    month1 = _month(word1, num1 or after1)
    start = int(year1) * 12 + (month1 - 1 if month1 else 0)
    if year2 is None:
        return start, now
    month2 = _month(word2, num2 or after2)
    if month2:
        return start, int(year2) * 12 + month2
    if int(year2) == int(year1) and not month1:
        return start, start + 6  # "2021–2021": some part of one year
    return start, max(int(year2) * 12, start + 1)


def _month(word: str | None, number: str | None) -> int | None:
    if number:
        return int(number) if 1 <= int(number) <= 12 else None
    return _MONTHS.get(word[:3].lower()) if word else None


def _merged_years(periods: list[tuple[int, int]]) -> float | None:
    """Total years covered by the periods, overlaps counted once."""
    if not periods:
        return None
    total, current_start, current_end = 0, *sorted(periods)[0]
    for start, end in sorted(periods)[1:]:
        if start > current_end:
            total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    total += current_end - current_start
    return round(total / 12, 1)


def _find_years(text: str, lines: list[tuple[str, str]], today: dt.date) -> float | None:
    explicit = _explicit_years(text)
    return explicit if explicit is not None else _merged_years(_range_months(lines, today))


# --- putting it together ----------------------------------------------------------------------


def _extract_fields(
    text: str, language: Literal["ru", "en"], *, today: dt.date | None = None
) -> ParsedResume:
    lines = _section_lines(text)
    return ParsedResume(
        candidate_name=_find_name(lines),
        language=language,
        skills=_find_skills(lines),
        roles=_find_roles(lines),
        years_experience=_find_years("\n".join(line for _, line in lines), lines, today or dt.date.today()),
        raw_text=text,
    )
