"""Numeric facts a turn states: digits, percentages and number words, each with the unit that follows."""

from __future__ import annotations

import re

from hrlab.domain.understanding.text import Turn, unique

_NUMBER_WORDS = re.compile(
    r"(?:zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|"
    r"два|две|двух|двум|три|трех|трем|четыре|четырех|пять|пяти|шесть|шести|семь|семи|восемь|восьми|девять|"
    r"девяти|десять|десяти|\w+надцат\w+|двадцат\w+|тридцат\w+|сорок\w*|пятьдесят|пятидесяти|шестьдесят|"
    r"семьдесят|восемьдесят|девяносто|сто|ста|двести|триста|четыреста|пятьсот|тысяч\w*|миллион\w*|"
    r"миллиард\w*|полтора|полторы)$")
_WEAK_NUMBER_WORDS = frozenset("one a один одна одну одного одной".split())  # numbers only before a unit
_UNITS = re.compile(
    r"(?:%|percent|per cent|years?|months?|weeks?|days?|hours?|minutes?|seconds?|milliseconds?|ms|people|"
    r"persons?|users?|clients?|customers?|services?|microservices?|servers?|pods?|times|releases?|deployments?|"
    r"engineers?|developers?|employees?|members?|projects?|dollars?|euros?|rubles?|terabytes?|gigabytes?|tb|gb|"
    r"requests?|rps|k|лет|год\w*|месяц\w*|недел\w*|дн\w*|день|час\w*|минут\w*|секунд\w*|миллисекунд\w*|"
    r"процент\w*|человек|пользовател\w*|клиент\w*|сервис\w*|микросервис\w*|сервер\w*|под\w*|раз|релиз\w*|"
    r"деплой\w*|разработчик\w*|сотрудник\w*|проект\w*|рубл\w*|доллар\w*|евро|терабайт\w*|гигабайт\w*|"
    r"запрос\w*)$")
_NUMBER_TOKEN = re.compile(r"\d+(?:[.,]\d+)?(?:k|m|к)?%?|%|[^\W\d_]+")


def _is_number(token: str) -> bool:
    return token[0].isdigit() or bool(_NUMBER_WORDS.match(token))


def find_numbers(turn: Turn) -> tuple[str, ...]:
    """Numeric facts: digits, percentages, years and number words, each with the unit that follows."""
    tokens = _NUMBER_TOKEN.findall(turn.lower)
    found, i = [], 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and (_is_number(tokens[j]) or (j > i and tokens[j] in ("and", "и"))):
            j += 1
        weak_start = j == i and tokens[i] in _WEAK_NUMBER_WORDS
        end = j + 1 if j < len(tokens) and _UNITS.match(tokens[j]) and (j > i or weak_start) else j
        if end > i and (j > i or end > i + 1):
            found.append(" ".join(tokens[i:end]).replace(" %", "%"))
        i = max(end, i + 1)
    return unique(found)
