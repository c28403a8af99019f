"""English tables: the phrases that decide a turn's kind and the patterns extraction reads in English."""

from __future__ import annotations

from hrlab.domain.understanding.rules import AREA, AREA_BEFORE, AREA_END, LanguagePatterns, Rule
from hrlab.domain.understanding.text import compile_each, rx

# A reason for leaving that names the speaker's own life, not work: "my battery", "my kid".
_MY_REASON = (r"my (?:kid|kids|son|daughter|child|baby|boss|wife|husband|manager|battery|laptop|phone|connection|"
              r"internet|bus|train|flight|taxi|doctor|mom|mother|dad|father|next)")
# After "finish" only these may follow: otherwise it has an object ("finish the project").
_END_FOLLOW = (r"(?=$| (?:now|here|early|today|for today|for now|it|this|that|please|sorry|thanks|thank|i|im|ive|id"
               r"|we|as|a (?:bit|little) early|earlier|quickly|fast|asap|" + _MY_REASON +
               r"|hear|right|soon|there|ok|okay|then|so|because|unfortunately|bye|goodbye|at this point"
               r"|(?:the |this |our )?(?:interview|call|conversation|session|meeting|chat))\b)")
_NOT_A_PAUSE = (r"(?! here (?:for a (?:second|moment|minute)|and (?:explain|say|add|talk|tell|go)|"
                r"to (?:explain|say|add))|"
                r" (?:this|that|my|the) (?:thought|sentence|point|answer|story|example|idea)\b)")
# "Can I finish?" asks to finish the answer, not the call: only "we" or a modal without a subject ends it.
_END_ASK = (r"\b(?!(?:can|could|may) i (?:\w+ )?finish\b)"
            r"(?:id like|i would like|i want|i wanna|i need|i have|ive got|i got|i gotta|gotta|i must|id rather|"
            r"lets|let us|can we|could we|may we|shall we|can i|could i|may i|please|im going|i am going|"
            r"im gonna|i will|ill|we should|we can|we could|id prefer|i prefer|maybe we should|we (?:need|have|must)|"
            r"(?:ill|i will|im going to|im gonna|i may|i might|well|we will|we may|we might) (?:have|need) to|"
            r"i (?:half|hafta|haf) to)"  # STT writes "have to" as "half to"
            r"(?: to| too)?(?: just| now| maybe| please| already| really| possibly| perhaps| kindly)? "
            r"(?:(?:finish|end|stop)(?: things| everything| it all)?|finish up|"
            r"wrap(?: it| this| things| (?:the|this) (?:interview|call|conversation))? up|rap up|quit|conclude|"
            r"terminate|call it|"
            r"cut (?:it |this |things |the (?:interview|call|conversation) )?short|leave it (?:there|at that|here))\b")
# Who leaves: "I", "I'll", "I'm afraid I"; then a modal; then a whitelist of what may follow "go" or "leave", so
# "leave my current job", "leave more time for reviews" and "go back a bit" stay answers.
_LEAVE_FOLLOW = (r"(?=$| (?:now|right|soon|early|earlier|sorry|im|i|we|so|thanks|thank|bye|goodbye|unfortunately|"
                 r"please|because|as|something|immediately|urgently|asap|and|but|then|actually|really|anyway|"
                 r"already|ok|okay|guys|its|it is|theres|there is|can|could|lets|" + _MY_REASON + "|"
                 r"in (?:a|an|\w+) (?:minute|minutes|moment|sec|second|seconds|few)|"
                 r"for (?:today|now|a (?:meeting|call)|another|an appointment)|to (?:a|an|another|my|pick|catch|get)|"
                 r"(?:the|this) (?:call|interview|meeting|chat|conversation))\b)")
# "I have to leave early on Fridays" is a habit, not a request: a frequency word later in the turn vetoes it.
_LEAVE_VERB = (r"(?: really| just)? (?:go|leave|leaf|live|run|hang up|drop|drop off|log off|jump off|hop off|sign off|"
               r"bounce|"
               r"head out|get going|be going|be off|be on my way|take off|bail)\b"
               r"(?: (?:the|this) (?:call|interview|meeting|chat|conversation)\b)?" + _LEAVE_FOLLOW)
_HABIT = r"\b(?!(?:\w+ )*(?:every|usually|sometimes|often|always|on \w+days)\b)"
_LEAVE = (_HABIT + r"(?:i|we|im|ill|id|ive)(?: (?!(?:dont|not|never|didnt|wont)\b)\w+){0,3}? "
          r"(?:have|need|got|gotta|must|should|half|hafta|going|gonna)(?: to| too)?" + _LEAVE_VERB)
# "I'll go now", "I'm going to hang up", and a dropped subject: "sorry, have to go".
_WILL_LEAVE = (_HABIT + r"(?:(?:ill|i will|well|we will)|(?:^|\b(?:sorry|so|ok|okay|and|but|well|anyway)) "
               r"(?:have|need|got) to)" + _LEAVE_VERB)
# "The client wanted to cancel the call": a story about someone's plan, not a request.
_NOT_SOMEONE_ELSES = r"(?<!wanted to )(?<!wants to )(?<!tried to )(?<!decided to )(?<!planned to )(?<!threatened to )"
# "Would you mind if we stopped here?": a polite frame asks for leave to end, whatever tense the verb is in.
_MAY_WE = (r"\b(?:mind if|okay if|ok if|alright if|all right if|fine if|a problem if|possible to|possible for us to|"
           r"possible that we) (?:we |i )?(?:could |can |just )?(?:stop|stopped|end|ended|finish|finished|"
           r"wrap(?:ped)? (?:it |this |things )?up|cut (?:it |this )?short|leave|left|go|call it)")
# Present tense, first person, nothing after but politeness: "Sorry, I'm leaving." (not "leaving my company").
_POLITE_TAIL = (r"(?: (?:now|here|then|sorry|thanks|thank you|thank u|thanks u|thx|ty|bye|goodbye|ok|okay|really|guys|"
                r"for now|for today|so))*$")

# Where no rule fired, the learned opinion may still call a turn an end request; these say it is an answer that
# only sounds like leaving: a story in the past, a habit, work or study that ends, the answer being finished,
# a request to go on.
_NOT_END = rx(
    r"\b(?:lets|let us|can we|could we) (?:move on|go on|continue|keep going|carry on|go ahead)\b",
    r"\bnext question\b",
    r"\b(?:i|we|they|he|she|it|you)(?: \w+)? (?!was (?:wondering|hoping)\b)(?:was|were|had|did|wanted|decided|"
    r"left|went|stopped|ended|finished|quit|used to)\b",
    r"\b(?:every|usually|often|always|sometimes|normally|daily|weekly|"
    r"on (?:mon|tues|wednes|thurs|fri|satur|sun)days)\b",
    r"\b(?:finish|finishing|end|ending|stop|stopping|leave|leaving|quit|quitting)(?: \w+){0,2} "
    r"(?:my|the|our|this|that|a|an|his|her|their) (?:\w+ )?(?:job|company|team|project|degree|course|studies|"
    r"masters|certification|contract|"
    r"release|sprint|module|migration|partnership|service|rollout|feature|product|role|position)\b",
    r"\b(?:go|going) (?:through|deeper|over|into)\b", r"\bleave (?:work|more|room|time|early on)\b",
    r"\b(?:finish|end|wrap up|close) (?:by|with) (?:saying|a|an|the|one)\b",
    r"\b(?:let me|can i|could i|may i|want to|like to) finish (?:my|this|the) "
    r"(?:thought|answer|point|sentence|story)\b",
    r"\b(?:let me|can i|could i|may i) finish$",
    r"\b(?:dont|do not|didnt|did not|never) (?:really )?(?:need|have|want) to (?:leave|go|stop|finish|quit)\b",
    r"\bstop (?:learning|growing|improving|developing)\b",
    # taking part in something else, or no longer, as an answer to "are you still involved in...?"
    r"\b(?:taking part|take part|participating|participate) in (?!(?:this|the|your) (?:interview|call|conversation|"
    r"process|circus|farce)\b|this\b)\w+",
    r"^(?:no|nope)\b.*\b(?:taking part|take part|participat\w*)\b",
    r"\b(?:now|used to|before)\b.*\b(?:taking part|take part|participat\w*)\b",
    # "let's not continue with this topic": a change of subject
    r"\b(?:continue|go on|carry on|stay|close|drop)(?: with| on)? (?:this|that|the) (?:topic|subject)\b",
    r"\b(?:continue|go on|keep|carry on) (?:with (?!(?:the|this) (?:interview|call|conversation))|doing|working|using|"
    r"\w+ing\b)")

EN = LanguagePatterns(
    end_rules=(
        Rule("ask_to_stop", rx(_END_ASK + _NOT_A_PAUSE + _END_FOLLOW)),
        Rule("stop_the_interview", rx(_NOT_SOMEONE_ELSES + r"\b(?:stop|end|finish|quit|terminate|pause|cancel|"
                                      r"leave|exit|drop)(?:p?ing|ting)? (?:the|this|our) "
                                      r"(?:interview|call|conversation|session)\b")),
        Rule("misheard_end", rx(r"\b(?:can|could) we and (?:the |this )?(?:interview|call|it)\b",
                                r"\b(?:lets|let us) and (?:the |this )?(?:interview|call)\b")),
        Rule("must_leave", rx(_LEAVE, _WILL_LEAVE)),
        Rule("no_continue", rx(
            r"\b(?:dont|do not|no longer|cant|can not|cannot|wont|will not|rather not|prefer not to)"
            r"(?: want to| wish to| be able to)?(?: really)? (?:continue|go on|proceed|keep going|carry on)\b"
            r"(?! (?:working|to work|doing|with (?!(?:the|this) (?:interview|call)|(?:this|it)$)|at|"
            r"(?:on |with |about )?(?:this|that|the) (?:topic|subject)|"
            r"in (?:the|this))\b)",
            # "go further" is also a career ("I don't want to go further than team lead"): only this interview or
            # politeness may follow, and a bare "I don't want to go any further." is left to the learned opinion
            r"\b(?:dont|do not|no longer|cant|can not|cannot|wont|will not|rather not|prefer not to)"
            r"(?: want to| wish to| be able to)?(?: really)? go (?:any |much )?further"
            r"(?= (?:with (?:this|the|our) (?:interview|call|conversation|process)|"
            r"with (?:this|it)" + _POLITE_TAIL + "|"
            r"today|sorry|thanks|thank you|please|bye|unfortunately|i (?:have|need) to|im sorry)\b)",
            r"\blets not (?:continue|go on|carry on|keep going)\b"
            r"(?! (?:with |on |about )?(?:this|that|the) (?:topic|subject|thread)\b)",
            r"\b(?:dont|do not) think (?:i|we) (?:can|could|should|will be able to) (?:continue|go on|carry on|"
            r"keep going)" + _POLITE_TAIL,
            r"\b(?:dont|do not) (?:really )?feel like (?:continuing|going on|carrying on|doing this)\b",
            r"\bnot in the mood (?:to continue|to go on|for this|anymore|any more)\b",
            r"\b(?:dont|do not) want to answer (?:any more|anymore|more|your) questions\b",
            r"\b(?:im|i am) (?:not able|unable) to (?:continue|go on|carry on|keep going)\b",
            r"\b(?:dont|do not) want to do (?:this|the) interview\b",
            r"\b(?:dont|do not) want to do this(?: anymore)?$",
            r"\b(?:cant|cannot|can not) do this any ?more\b")),
        # Refusing to take part any more, not a story about a project ("I'm not taking part in on-call anymore") or
        # an answer to "are you still involved in hiring?" ("No, I'm not taking part anymore").
        Rule("no_longer_taking_part", rx(
            r"^(?!(?:no|nope|not anymore|not any more)\b)(?!.*\b(?:used to|in the past|years ago|previously|"
            r"back then)\b).*\b(?<!now )(?:im not|i am not|im no longer|i am no longer|i wont|i will not|"
            r"im not going to|i refuse to|i dont want to)(?: be)? (?:taking part|take part|participating|participate)"
            r"(?: in (?:this|the|your) (?:interview|call|conversation|process|circus|farce)| in this)?"
            r"(?: any ?more| any longer)?" + _POLITE_TAIL), max_words=15),
        Rule("reschedule", rx(r"\b(?:can|could|may) we (?:reschedule|postpone)\b",
                              r"\blets (?:reschedule|postpone|continue (?:another|some other) (?:time|day))\b",
                              r"\bcontinue (?:another|some other) time\b")),
        Rule("call_it_a_day", rx(r"\bcall it a day\b", r"\bcall it quits\b")),
        Rule("enough", rx(r"\b(?:thats|that is|its) enough for (?:me|today|now|this time)\b",
                          r"\benough for today\b")),
        Rule("done", rx(r"\b(?:im|i am) (?:done|finished) (?:with (?:this|the) (?:interview|call|conversation)|"
                        r"for today)\b", r"\b(?:were|we are) (?:done|finished) (?:here|for today|for now)\b")),
        # In a short turn a bare "I'm done" ends the call; at the end of a long answer it only ends the answer.
        Rule("done_short", rx(r"\b(?:im|i am|i think im) (?:all )?(?:done|finished)" + _POLITE_TAIL), max_words=8),
        Rule("thats_all", rx(r"\b(?:thats|that is|its|that will be|thatll be|that would be|thats about) (?:all|it) "
                             r"(?:from me|for me|for today|from my (?:side|end)|on my (?:side|end))\b"
                             r"(?! (?:on|about|regarding|for) (?:this|that|the|my)\b)",
                             r"\bthats all (?:the time )?i have time for\b"), max_words=14),
        Rule("want_out", rx(r"\b(?:i want|i wanna|id like|let me|get me)(?: to get)? out(?: of (?:this|the|here)"
                            r"(?: (?:interview|call|conversation|meeting|chat))?)?" + _POLITE_TAIL)),
        Rule("may_we_stop", rx(_MAY_WE + _NOT_A_PAUSE + _END_FOLLOW)),
        Rule("time_up", rx(r"\bmy time is (?:up|over|running out)\b",
                           r"\b(?:times|time is) (?:up|over)(?= for me|$| sorry| i | have to| gotta| so)",
                           r"\b(?:im|i am) (?:running |almost |nearly )?out of time\b(?! (?:on|with|for) )",
                           r"\b(?:i|ive) (?:have|got) (?:another|one more|my next) "
                           r"(?:meeting|call|interview|appointment)\b"
                           r"(?! (?:with (?:the|a|our|my) (?:client|team|customer)|every|each|on (?:monday|friday))\b)",
                           r"\bi (?:have|got) (?:a|an) (?:meeting|call|appointment) (?:now|right now|starting|"
                           r"in (?:a|\w+) (?:minute|minutes|min|mins))\b",
                           r"\b(?:im|i am) (?:already |running |so )?late for (?:a|my|another|the|an) (?:meeting|call|"
                           r"appointment|train|flight)\b")),
        Rule("leaving_now", rx(r"\b(?:im|i am) (?:leaving|quitting|logging off|signing off|hanging up|dropping off|"
                               r"heading out|off|out of here)" + _POLITE_TAIL,
                               r"^(?:ok |okay |fine |sorry |then )*i quit(?: this)?$",
                               r"\b(?:can|may|could) i (?:go|leave|hang up|drop off)" + _POLITE_TAIL,
                               r"\b(?:good|right|fine) (?:place|point|time|moment) to (?:stop|end|finish|wrap up)"
                               + _POLITE_TAIL)),
        Rule("no_time", rx(r"\b(?:im|i am) out of time\b",
                           r"\bi (?:have|got) no (?:more )?time (?:left|anymore|any more|for this)\b",
                           r"\bi dont have (?:any )?(?:more )?time (?:for this|anymore|left)\b")),
        Rule("goodbye", rx(r"\b(?:goodbye|bye bye|bye)\b"), max_words=10),
        Rule("closing_goodbye", rx(r"\b(?:goodbye|bye)$"), max_words=25),
    ),
    repeat_rules=(
        Rule("ask_repeat", rx(
            r"\b(?:can|could|would|will) you(?: please| maybe)? (?:repeat|rephrase|reformulate|clarify|"
            r"say (?:that |it |this )?(?:again|one more time)|read (?:it|that|the question) again|"
            r"ask (?:it|that|the question) again|explain (?:the question|what you mean))\b")),
        Rule("repeat", rx(r"(?:^|\b(?:sorry|please|pardon) )repeat\b",
                          r"\brepeat (?:the question|that|please|it|the last (?:part|bit|question)|again)\b",
                          r"\brepeat$")),
        Rule("say_again", rx(r"\bsay (?:that |it |the question )?(?:again|one more time)\b", r"\bcome again\b",
                             r"\bone more time please\b",
                             r"^(?:sorry |im sorry )?pardon(?: me)?$", r"^(?:sorry )?what$")),
        Rule("not_heard", rx(
            r"\b(?:didnt|did not|couldnt|could not|cant|can not|cannot)(?: quite)? (?:catch|hear|get|understand|follow)"
            r"(?=$| (?:that|you|it|the question|what you said|the (?:last|end|first)|your question|sorry|please|"
            r"could|can))")),
        Rule("not_understood", rx(
            r"\bnot sure (?:that )?i (?:understand|understood|get|got|follow)\b",
            r"\bnot sure what (?:you|youre) (?:mean|are asking|asking|want)\b",
            r"\b(?:dont|do not|didnt|did not) (?:quite |really |fully )?understand (?:the question|your question|"
            r"what you mean|what you are asking|what youre asking|the last part)\b")),
        Rule("what_mean", rx(r"\bwhat (?:exactly )?(?:do|did) you mean\b", r"\bdo you mean\b",
                             r"\bwhat (?:was|is) the question\b", r"\bwhats the question\b",
                             r"\bexample of what you mean\b", r"\bwhat are you asking\b")),
        Rule("lost_you", rx(r"\blost you\b", r"\byou (?:froze|dropped|disappeared)\b"), max_words=15),
        Rule("what_was_that", rx(r"\bwhat was that\b"), max_words=12),
        Rule("missed", rx(r"\b(?:missed|lost) (?:the|your) question\b", r"\byou (?:cut|broke|froze) (?:out|up)\b",
                          r"\b(?:connection|line|sound|audio|internet) (?:dropped|broke|cut|froze)\b")),
        Rule("which_scope", rx(r"^(?:so )?(?:should|shall|do you want me to|can) i (?:talk|speak|tell|focus) "
                               r"(?:about|on) .* or\b")),
        Rule("rephrase", rx(r"\brephrase\b", r"\breformulate\b")),
    ),
    question_frame=rx(r"^(?:(?:and|so|also|ok|okay|sorry|but|by the way|btw|one question|quick question|"
                      r"just curious|i wonder|i was wondering) )*(?:what|whats|how|when|where|who|whos|which|is|are|"
                      r"do|does|will|would|can|could|may|should|am|did)\b"),
    not_a_question=None,
    job_topics=rx(r"\b(?:salary|salaries|pay|paid|compensation|money|range|remote|remotely|office|hybrid|relocat\w*|"
                  r"visas?|insurance|benefits|bonus\w*|vacation|probation|schedule|hours|next steps?|feedback|hr|"
                  r"recruiter|manager|company|position|role|budget|team|vacancy|interview\w*|"
                  r"questions (?:are |do we have )?left|"
                  r"last question|time (?:do we have )?left|how much time|how many (?:more )?questions|"
                  r"how long (?:will|does|is|do)|how much longer|time limit|"
                  r"when (?:will|do|shall|are) (?:we|you|this|it) (?:be )?(?:done|finish\w*|end\w*|over)|"
                  r"more questions|robot|bot|ai|human|real person|record\w*|stack|would join|will join|start date|"
                  r"onboarding|growth|how many (?:rounds|stages)|"
                  r"(?:technical|next|final|second|third|another|onsite|on site|hr) (?:round|stage)s?|"
                  r"career|promotion|opportunit\w*|training|courses?|conferences?|days a week|part time|full time|"
                  r"four day|work from home|wfh)\b"),
    address=rx(r"\b(?:you|your|yours)\b"),
    direct_questions=rx(r"\b(?:can|may|could) i ask (?:you )?(?:something|a question|you)\b",
                        r"\bwho (?:am i|are you) (?:talking|speaking) (?:to|with)\b",
                        r"\btell me (?:a bit |a little )?(?:more )?about (?:the|your|this) (?:team|company|role|"
                        r"position|product|office|project)\b"),
    # "I need" is no story: \w+ed would read it as a past tense
    narrative=rx(r"\b(?:i|we) (?!(?:need|feed|seed|exceed|proceed|succeed)\b)"
                 r"(?:\w+ed|was|were|had|built|led|made|wrote|ran|asked|told)\b",
                 r"\bas (?:my|our|the) \w+ (?:said|says|used to say)\b"),
    dont_know=compile_each(
        (r"\b(?:i )?(?:dont|do not|doesnt|didnt)(?: really| actually| even| honestly)? (?:know|no)\b"
         r"(?: (?:the answer|that|this|it|what to say(?: here)?|how to answer(?: that| this)?|much about|"
         r"what (?:i|we|id|to) (?:would |should |could |will )?(?:do|say|answer)))?"),
        r"\bdunno\b", r"\b(?:no|not a) (?:idea|clue)\b", r"\b(?:i )?have no (?:idea|clue)\b",
        r"\b(?:im |i am )?not (?:really |quite |too )?sure\b",
        (r"\b(?:i )?(?:cant|cannot|can not|couldnt) (?:answer|say|tell|explain)(?: (?:that|this|you|it))?"
         r"(?: properly| well| in detail| exactly| clearly)?\b"),
        (r"\b(?:i )?(?:dont|do not) (?:really )?have (?:an|any|a good|a clear|the) answer"
         r"(?: (?:for|to) (?:that|this|it))?\b"),
        (r"\b(?:ive |i have |i )?never (?:worked|used|done|dealt|touched|tried|had|set|seen|heard|built|made|run|"
         r"written|configured|\w+ed)(?: up| of)?(?: with| on| in)?(?: (?:it|that|this|them|one))?\b"),
        r"\bnothing comes to mind\b", r"\b(?:cant|cannot|can not) think of (?:anything|any|an example)\b",
        r"\b(?:hard|difficult|tough) to say\b",
        r"\bno (?:real |practical )?experience(?: (?:with|in))?(?: (?:it|that|this|them))?\b",
        r"\b(?:i )?(?:dont|do not|cant|cannot|can not) (?:remember|recall)\b", r"^pass$",
        r"\bskip (?:this|that|it)(?: one| question)?\b", r"\bnot familiar with\b",
        r"\bnever (?:really |actually )?(?:thought about|considered) (?:it|that|this)\b",
    ),
    non_answer_words=frozenset((
        "hi hello hey good morning afternoon evening nice to meet you yes yeah yep yup sure ok okay alright all "
        "right fine ready im i am we can start begin lets let go thanks thank um uh uhm umm hmm mm mhm hm er erm ah "
        "oh well so me think second moment minute just one give please sorry here hear can you well question "
        "thats that a great interesting wait finish my thought when are for the is it yes hmm cool great perfect "
        "sec bit let sounds awesome got understood see").split()),
    # Anywhere in the question: openers like "To start, please tell me..." come before the cue word.
    open_question=rx(r"\b(?:what|whats|how|why|when|where|which|who|"
                     r"tell|describe|explain|walk|give|share|talk|imagine|suppose)\b"),
    leisure_strong=rx(r"\b(?:films?|movies?|cinema|series|netflix|actors?|football|soccer|basketball|hockey|tennis|"
                      r"marathon|triathlon|gym|fishing|hunting|cooking|recipes?|lasagna|pasta|sauce|weather|rain\w*|"
                      r"snow\w*|sunny|vacation|holidays?|beach|concert|singing|video games?|gaming|playstation|xbox|"
                      r"cats?|dogs?|pupp(?:y|ies)|kitten|pets?|apartment|neighbou?rs?|renovat\w+|drilling|traffic|"
                      r"daughter|sons?|kids|wife|husband|girlfriend|boyfriend|hobby|hobbies|garden\w*|birthday|"
                      r"wedding|restaurant|pizza|match|matches|halftime|second half|"
                      r"band|fish\w*|lake|guitar|piano|drums|violin|brother|sister|cousin|"
                      r"married|marry|grand(?:ma|pa|mother|father))\b"),
    leisure_weak=rx(r"\b(?:yesterday|weekends?|saturday|sunday|morning|evening|night|summer|winter|august|favou?rite|"
                    r"love|watched|watching|played|home|father|mother|school|teacher|tv|music|food|italy|rome)\b"),
    work_cues=rx(r"\b(?:projects?|clients?|customers?|company|companies|job|work|worked|working|code|coding|"
                 r"developers?|engineers?|managers?|deadlines?|releases?|products?|systems?|services?|databases?|"
                 r"servers?|tests?|testing|sprints?|budgets?|contracts?|colleagues?|negotiat\w+|deploy\w*|app|"
                 r"applications?|users?|features?|stakeholders?|boss|architecture|backend|frontend|api|suppliers?|"
                 r"vendors?|prices?|pricing|discounts?|deals?|agreed|agreements?|sales|revenue|partners?|offers?|"
                 r"terms|invoices?|payments?|orders?|meetings?|reports?|process\w*|metrics?|kpis?|hiring|"
                 r"candidates?)\b"),
    weaknesses=compile_each(
        (rf"\bweak(?:est)? (?:area|point|spot|side|skill|part|link)s? (?:is|are|would be|was)?(?: probably)? ?"
         rf"{AREA}{AREA_END}"),
        (rf"\b(?:im|i am) not (?:very |that |so |too |really |particularly |super )?(?:strong|good|great|confident"
         rf"|experienced|comfortable) (?:in|at|with) {AREA}{AREA_END}"),
        rf"\b(?:im|i am) weak (?:in|at|with) {AREA}{AREA_END}",
        (rf"\b(?:havent|have not|hadnt|didnt|did not) (?:really )?(?:worked|used|done|dealt)(?: much| a lot| enough|"
         rf" that much| very much)?(?: with| in| on)? {AREA}{AREA_END}"),
        (rf"\b(?:dont|do not) have (?:much|a lot of|enough|any|deep|real)? ?(?:hands on )?experience (?:with|in) "
         rf"{AREA}{AREA_END}"),
        rf"\b(?:have|got) (?:little|limited|no|not much|almost no) experience (?:with|in) {AREA}{AREA_END}",
        rf"\black (?:of )?(?:experience|knowledge|skills?) (?:with|in|of) {AREA}{AREA_END}",
        rf"\bnever (?:worked|used|touched|dealt) (?:with |on |in )?{AREA}{AREA_END}",
        rf"\bstruggle(?:d)? with {AREA}{AREA_END}",
        rf"\bneed to (?:improve|work on|get better at) (?:my )?{AREA}{AREA_END}",
        rf"\bnot (?:an |a big |much of an )?expert (?:in|at|with|on) {AREA}{AREA_END}",
        rf"\b(?:dont|do not) know (?:much|a lot|enough) about {AREA}{AREA_END}",
        rf"\bnot (?:very )?familiar with {AREA}{AREA_END}",
        (rf"(?:^|[.,;:!?] |\bsay |\bthink |\bguess ){AREA_BEFORE} (?:is|are) (?:probably |definitely )?"
         r"my weak(?:est)? (?:area|point|spot|side)"),
    ),
    claim=rx(r"\b(?:i|we|ive|weve)(?: \w+ly| also| then| just| actually| basically| personally| all)? "
             r"(?:\w+ed|built|led|"
             r"made|wrote|ran|set|grew|cut|brought|took|drove|taught|found|chose|got|shipped|won|sold|kept|"
             r"began|put|spent|lead|manage|run|own|build|maintain|handle|develop|use|work|write|was responsible|"
             r"have \w+ed|had \w+ed|have been|been)\b"),
    not_claim=rx(r"\b(?:i|we) (?:need|feed|seed|exceed|proceed|succeed)\b"),
    not_end_request=_NOT_END,
    negated_verb=rx(r"\b(?:never|not|didnt|havent|hasnt|wasnt|werent) \w+"),
)
