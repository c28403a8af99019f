"""Which language's tables a turn reads, and the turn-kind tables every language shares."""

from __future__ import annotations

from hrlab.domain.understanding.patterns_en import EN
from hrlab.domain.understanding.patterns_ru import RU
from hrlab.domain.understanding.rules import Frame, LanguagePatterns
from hrlab.domain.understanding.text import rx

BY_LANGUAGE: dict[str, LanguagePatterns] = {"en": EN, "ru": RU}

# The tables below hold both languages at once: speakers switch language mid-call and Whisper
# hallucinates English credits in Russian audio, so a turn is checked against both.

# "So I said: let's stop here and rethink" tells a story; it asks for nothing.
REPORTED_SPEECH = rx(r"\b(?:said|says|told|asked|suggested|сказал\w*|говорил\w*|говорит|предложил\w*|"
                     r"попросил\w*)\b")
# "If a meeting drags on, I suggest we end it": a conditional about something else (a noun and its present-tense
# verb) makes what follows a general statement. Polite conditionals ("if you don't mind", «если вас не затруднит»)
# and «если вопросов больше нет» have no such verb and stay requests.
HYPOTHETICAL = rx(r"\b(?:if|when|whenever|once) (?:a|an|the|my|our|their|his|her|some|any|one|such) \w+(?: \w+)? "
                  r"(?:\w+s|are)\b",
                  r"\b(?:если|когда|как только)(?: \w+){0,2} "
                  r"(?!(?:нет|затруднит|устроит|подойдет|получится|помешает)\b)\w+(?:ет|ит|ут|ют|ат|ят)(?:ся)?\b",
                  r"\bin (?:such|these|those) cases\b", r"\bв (?:таких|подобных|этих|тех) случаях\b")
# A request to end inside a quote or after a general condition is no request: how far before the phrase each reaches.
# A condition earlier in the same sentence reaches further ("If a meeting runs over I'd say, guys, we're out of
# time, let's stop here and continue tomorrow": 12 words).
END_REQUEST_FRAMES = (Frame(REPORTED_SPEECH, window=6), Frame(HYPOTHETICAL, window=10, sentence_window=20))
# Asking for a short break is a question to the interviewer, not a request to end: "Can we pause for a minute?",
# «Можно небольшой перерыв минут на пять?». A break until tomorrow is a request to end, a break from a job or
# between meetings is talk about work.
_BREAK_EN = (r"(?:a |an )?(?:(?:short|quick|small|little|brief|tiny|bathroom|toilet|coffee|water|\w+ minute|"
             r"\w+ min) )?(?:break|breather|pause)")
_BREAK_FOLLOW_EN = (r"(?=$| (?:please|now|first|here|for (?:a|one|two|five|ten|a few|a couple)|ill|i|im|id|so|to|"
                    r"before|quickly|real quick|maybe|sorry|if|thanks|thank|ok|okay|guys|"
                    r"(?:one|two|three|five|ten|fifteen|\d+) (?:minutes?|mins?))\b)")
_BREAK_RU = (r"(?:(?:небольш\w*|коротк\w*|маленьк\w*|\w+минутн\w*) )?(?:перерыв\w*|паузу|пауза|"
             r"передышк\w*|перекур\w*)")
_BREAK_FOLLOW_RU = (r"(?=$| (?:на (?:минут\w*|пару|пять|две|три|десять|несколько|секунд\w*|чуть|немного|\d+)|"
                    r"минут\w*|пожалуйста|я|мне|буквально|ненадолго|сейчас|а то|ок|хорошо|если)\b)")
BREAK_REQUEST = rx(
    r"^(?!.*\b(?:tomorrow|another (?:day|time)|some other|next week|reschedule|завтра|послезавтра|"
    r"в (?:другой|следующий) (?:раз|день)|перенес\w*)\b).*(?:"
    r"\b(?:(?:can|could|may|shall) (?:we|i)(?: please| just| maybe| quickly)? (?:take|have|get|do)|"
    r"(?:lets|let us|let me|i need to|i have to|id like to|i would like to) (?:take|have|grab)|"
    r"(?:i need|id like|i would like)|(?:mind|okay|ok|alright|possible) if (?:we|i) (?:take|have)) "
    + _BREAK_EN + _BREAK_FOLLOW_EN + "|"
    r"\b(?:can|could|may|shall) we(?: please| just)? pause(?: for a (?:second|sec|moment|minute|bit))?"
    + _BREAK_FOLLOW_EN + "|"
    r"\b(?:можно|можем|давайте|давай|могу|нельзя ли|можно ли|мне нужен|мне нужна|мне нужно|нужен|нужна)"
    r"(?: (?:мы|я|ли|бы|сейчас|пожалуйста|нам|мне))*(?: (?:сделать|взять|устроить|сделаем|возьмем))? "
    + _BREAK_RU + _BREAK_FOLLOW_RU + ")")
# Words that do not make "I don't know" into an answer: hedges, politeness, pronouns.
DONT_KNOW_NOISE = frozenset((
    "i im ive me my a an the it its that this to be honest honestly sorry really much about well so oh just "
    "actually frankly afraid good great question here what say you with on in of for at yes no ok okay but "
    "hmm um uh any thing things one myself before ever up right now nothing "
    "я мне меня мы с со этим этом это этот эту в во на к о об сожалению честно говоря если можно правда "
    "даже тут здесь вот да нет пожалуйста вопрос вопрос вопросы хороший боюсь извините простите ну хм э "
    "никогда об его ее их ним ней так что сказать ответить сам сама ничего голову").split())
# Having heard of something is not knowing it: taken out before counting what else "I don't know" comes with
# ("I've heard of token bucket but I couldn't explain it, I don't know").
DONT_KNOW_HEDGES = rx(r"\b(?:ive |i have |i )?(?:only |just )?heard (?:of|about)\b",
                      r"\b(?:я )?(?:только )?слышал\w* (?:про|о|об)\b")
# "mhm"/"угу" are backchannels (I am listening), not a yes.
YES_NO = frozenset("yes yeah yep yup no nope nah sure да ага нет неа конечно".split())
NEGATIVE = frozenset("no nope nah нет неа".split())
HALLUCINATIONS = rx(r"\bthanks? (?:you )?for watching\b", r"\bsubscribe to (?:my|the|our) channel\b",
                    r"\bsubtitles by\b", r"\bпродолжение следует\b", r"\bсубтитр\w*", r"\bкорректор\b",
                    r"\bспасибо за просмотр\b", r"\bподписывайтесь на канал\b")
AUDIO_CHECK = rx(r"\b(?:can|do) you hear me\b", r"\bcan you hear\b", r"\bi can hear you\b", r"\becho\b",
                 # «слышал про это» has heard of something; only «слышал меня» is about the line
                 r"\b(?:is )?my (?:mic|microphone|sound|audio|camera)\b", r"\bслыш(?!ал)\w*\b",
                 r"\bслышал\w* меня\b", r"\bменя слышал\w*", r"\bэхо\b",
                 r"\bмикрофон\w*\b")
STALLING = rx(r"\b(?:one|a|just a|give me a) (?:second|sec|moment|minute)\b", r"\bhold on\b", r"\blet me think\b",
              r"\bсекунд\w*\b", r"\bминут(?:к\w*|очк\w*|у)\b", r"\bподождите\b", r"\bдайте подумать\b",
              r"\bсейчас соберусь\b")
# "Yes" to "are you ready?" says nothing about the candidate, so such a question is not a yes/no one.
READINESS = rx(r"\bready\b", r"\b(?:can|shall) we (?:start|begin)\b", r"\bготов\w*\b",
               r"\b(?:можем|можно) (?:начинать|начать)\b", r"\bначнем\b")
# A question about life outside work makes leisure talk the answer.
PERSONAL_QUESTION = rx(r"\b(?:free|spare) time\b", r"\bhobb\w*", r"\boutside (?:of )?work\b", r"\bstress\w*",
                       r"\bmotivat\w*", r"\bbalance\b", r"\brelax\w*", r"\bburn ?out\b", r"\bweekends?\b",
                       r"\bсвободн\w* время\b", r"\bхобби\b", r"\bувлечен\w*", r"\bвне работы\b", r"\bстресс\w*",
                       r"\bмотивац\w*", r"\bотдыха\w*", r"\bвыгоран\w*", r"\bвыходн\w*")
# Words too common in questions to show that an answer shares the question's subject.
STOPWORDS = frozenset((
    "about your with what have that this they them their there were when where which would could should "
    "tell describe please think know from into some very just also then than been being does did done "
    "расскажите опишите пожалуйста когда какой какая какие который которые было были была этот этого "
    "этом очень может можно просто тоже потом если чтобы только вообще сейчас").split())
