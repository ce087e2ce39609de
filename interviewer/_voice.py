"""What the interviewer says, with a few variants per line.

Variants are chosen from the session seed and a counter, never at random, so
the same session always reads the same. No line here may carry rubric or
follow-up content: those reach the candidate only through the engine, one
follow-up at a time, or in the feedback report.
"""

from __future__ import annotations

import zlib

LINES: dict[str, tuple[str, ...]] = {
    "greeting": (
        "Hi, thanks for joining. Today's question is {title}. Take a minute to read it.",
        "Hello, and welcome. We'll work on {title} today; have a read of the question first.",
        "Good to meet you. Our question today is {title}. Read it through, and ask me anything.",
    ),
    "setup": (
        "A starter file is available: I've copied it to {entry} in your workspace at {workspace}. "
        "You have {time_box}. Ask me clarifying questions first; type /next when you're ready to "
        "code, and /help any time for the commands.",
    ),
    "setup-untimed": (
        "A starter file is available: I've copied it to {entry} in your workspace at {workspace}. "
        "This is untimed practice. Ask me clarifying questions first; type /next when you're "
        "ready to code, and /help any time for the commands.",
    ),
    "neutral": (
        "Good question. What would you assume there? State your assumption and carry on.",
        "That's for you to decide; tell me what you'd assume and why.",
        "I'd rather hear your assumption on that. What seems reasonable to you?",
    ),
    "acknowledge": (
        "Okay.",
        "Sounds good, go ahead.",
        "Understood.",
        "Alright, carry on.",
    ),
    "start-coding": (
        "Great, let's start. Level {level} is open: {level_title}. Edit {entry}; /run runs the "
        "examples, /submit the hidden tests.",
        "Sounds good. Over to you: level {level}, {level_title}. /run checks the examples and "
        "/submit the hidden tests.",
    ),
    "level-open": (
        "Nice work: level {passed} passes. Level {level} is open now: {level_title}. Its details "
        "are in the question under level {level}.",
        "Level {passed} is done. On to level {level}, {level_title}; see the question for what "
        "changes.",
    ),
    "all-levels": (
        "That's every level passing. When you're ready, say you're done or type /next and "
        "we'll talk about your solution.",
    ),
    "gated": (
        "Level {level} needs to pass before the next one opens. Use /submit to check it.",
        "Let's get level {level} passing first: /submit tells you where you stand.",
    ),
    "gated-time": (
        "Let's stay on level {level} a little longer: finish it, or we can move on in "
        "{time_left}.",
    ),
    "to-followups": (
        "Let's stop coding there and talk about your solution.",
        "Good, let's step back from the code and discuss it.",
    ),
    "followup": ("{ask}",),
    "probe": ("{probe}",),
    "followup-thanks": (
        "Thanks.",
        "Okay, thank you.",
        "Got it.",
    ),
    "wrapup": (
        "That's all my questions. Thanks, that was a good conversation. Type /feedback for your "
        "report, or /quit to leave.",
        "We're at the end. Thank you. /feedback gives you the report; /quit ends here.",
    ),
    "wrapup-again": (
        "We're wrapping up: /feedback for your report, /quit to leave.",
    ),
    "no-hints-left": (
        "I've given you every hint I have for level {level}. Talk me through where you're stuck.",
    ),
    "hint-clarify": (
        "Let's agree the requirements first; hints are for when you're coding. Here's something "
        "to think about for level 1 though:",
    ),
    "stuck": (
        "You've been on this a while. Would a hint help? Type /hint if so.",
        "How's it going? If you're stuck, /hint gives you a nudge.",
    ),
    "failing-streak": (
        "A few runs in a row have failed. Want a hint? Type /hint.",
    ),
    "time-left": (
        "You have {time_left} left of {time_box}.",
        "{time_left} to go, out of {time_box}.",
    ),
    "untimed": ("This session is untimed; you've been going for {elapsed}.",),
    "reminder-half": (
        "Just so you know, we're about halfway: {time_left} left.",
        "Quick time check: half the time is gone, {time_left} left.",
    ),
    "reminder-15": (
        "About fifteen minutes left. It's a good moment to make sure what you have works.",
    ),
    "reminder-5": (
        "Five minutes left. Let's get what you have into a working state.",
    ),
    "reminder-up": (
        "We're at time.",
        "That's time.",
    ),
    "language": (
        "For this interview, please use Python; the tests run your {entry}. "
        "Express the idea in Python and we're good.",
    ),
    "language-again": (
        "As I mentioned, this one is Python only, please stick with {entry}.",
    ),
    "language-python": ("Python, please. Everything runs on Python 3.11.",),
    "library-stdlib": ("Yes, {library} is in the standard library, so go ahead.",),
    "library-partly": ("{library} is fine, except {names}: {reason}",),
    "library-forbidden": ("Not {library} for this question, please: {reason}",),
    "library-other": (
        "Please stick to the standard library here; {library} isn't available in the test "
        "environment.",
    ),
    "library-any": ("Standard library only for this question.",),
    "forbidden-secret": (
        "I can't share how the interview is assessed, but you'll get detailed feedback at the end.",
    ),
    "forbidden-solution": (
        "I won't write the solution, that part is yours. If you're stuck, /hint gives you a nudge.",
    ),
    "done-early": (
        "Before we wrap up, let's get into the code: type /next when you're ready to start.",
    ),
    "unknown-command": ("I don't know /{name}. Type /help for the commands.",),
    "ignored-argument": ("/{name} takes no argument; I ignored '{argument}'.",),
    "goodbye": (
        "Okay, we'll stop here. Everything is saved; `python -m interviewer resume` picks it up.",
    ),
    "refused-late": (
        "Time is up, so I can't accept another submission. Your last one counts.",
    ),
    "feedback-early": (
        "Let's finish the interview first; the report comes at the end.",
    ),
    "feedback-confirm": (
        "The report ends the interview: I'll score your code as it is now and show you how "
        "it was assessed. Type /feedback again if you want it now.",
    ),
    "refused-after-feedback": (
        "The interview is over and your report stands. Start a new session to keep practising.",
    ),
    # -- the behavioural interview (interviewer/_behavioral_engine.py) --------------------------
    "behavioral-greeting": (
        "Hi, thanks for joining. This is a behavioural interview: over the next {time_box} I'll "
        "ask you {questions} about your own experience, each with a follow-up or two.",
        "Hello, and welcome. Today is a behavioural conversation: we have {time_box}, and I'll "
        "ask you {questions} about your own work, with some follow-ups on each.",
        "Good to meet you. For the next {time_box} I'll ask you {questions} about situations "
        "you've been in, and dig into each one a little.",
    ),
    "behavioral-greeting-untimed": (
        "Hi, thanks for joining. This is untimed behavioural practice: I'll ask you {questions} "
        "about your own experience, each with a follow-up or two.",
    ),
    "behavioral-how": (
        "Answer as you would out loud, in your own words; one message or several is fine. "
        "Real stories about what you did work best. /next moves on to the next question, /hint "
        "gives you a nudge, /time shows the time left and /help the other commands.",
    ),
    "behavioral-first": (
        "Let's begin. {ask}",
        "Here's the first one. {ask}",
        "To start: {ask}",
    ),
    "behavioral-next": (
        "Thank you, that's helpful. Let's move on. {ask}",
        "Thanks for walking me through that. Next question: {ask}",
        "Okay, thank you. Let's turn to something different. {ask}",
    ),
    "behavioral-skip": (
        "No problem, let's leave that one. {ask}",
        "That's fine, we can move on. {ask}",
    ),
    "behavioral-probe": (
        "Thanks. {ask}",
        "I see. {ask}",
        "Okay. {ask}",
        "Understood. {ask}",
    ),
    "behavioral-go-on": (
        "Mm-hm, go on.",
        "Okay, I'm listening. Please go on.",
        "Please continue.",
    ),
    "behavioral-repeat": ("Of course. {ask}",),
    "behavioral-wrapup": (
        "That's all my questions. Thank you, I enjoyed hearing about your work. Type /feedback "
        "for your report, or /quit to leave.",
        "We're at the end of my questions. Thanks for sharing those stories. /feedback gives you "
        "the report; /quit ends here.",
    ),
    "behavioral-wrapup-time": (
        "Thank you, let's stop there, since we're at time. Type /feedback for your report, or "
        "/quit to leave.",
        "Thanks, we'll leave it there as we're out of time. /feedback gives you the report; "
        "/quit ends here.",
    ),
    "behavioral-wrapup-again": (
        "We've finished the questions: /feedback for your report, /quit to leave.",
    ),
    "behavioral-over": (
        "The interview is over and your report is above. Start a new session to practise again.",
    ),
    "behavioral-finish-answer": (
        "Please finish the answer you're on, and then we'll wrap up.",
    ),
    "behavioral-reminder-half": (
        "Just so you know, we're about halfway: {time_left} left.",
        "Quick time check: we're halfway through, with {time_left} to go.",
    ),
    "behavioral-reminder-15": (
        "We have about fifteen minutes left.",
        "About fifteen minutes to go; we're doing fine.",
    ),
    "behavioral-reminder-5": (
        "Five minutes left, so let's keep the answers focused.",
        "We have about five minutes left.",
    ),
    "behavioral-reminder-up": (
        "We're at time.",
        "That brings us to time.",
    ),
    "behavioral-hint-star": (
        "One way to shape an answer: the situation, the task you had, the actions you took "
        "yourself, and the result, with a number if you have one. Then a word on what you "
        "learned.",
    ),
    "behavioral-hint-situation": (
        "Set the scene briefly: where were you, and what was going on?",
    ),
    "behavioral-hint-task": (
        "It helps to say what you were responsible for, or what the goal was.",
    ),
    "behavioral-hint-action": (
        "Tell me what you did yourself, step by step.",
    ),
    "behavioral-hint-result": (
        "So far I haven't heard how it turned out. Say what changed in the end.",
    ),
    "behavioral-hint-numbers": (
        "If you can, put a number on the outcome: time, a percentage, money or effort saved.",
    ),
    "behavioral-hint-ownership": (
        "Make clear which parts were yours: say 'I' rather than 'we' where it was you.",
    ),
    "behavioral-hint-reflection": (
        "You might finish with what you learned, or what you would do differently.",
    ),
    "behavioral-hint-complete": (
        "Your story already has all its parts. Finish your thought, or type /next to move on.",
    ),
    "behavioral-hint-after": (
        "We've finished the questions, so there's nothing left to hint at. /feedback gives you "
        "the report.",
    ),
    "behavioral-feedback-confirm": (
        "The report ends the interview, and we still have {remaining} to go. Type /feedback "
        "again if you want it now.",
    ),
    "behavioral-forbidden-answer": (
        "I can't give you an answer to use; the best stories are your own. /hint gives you a "
        "nudge on how to shape one.",
    ),
}


def line(key: str, seed: int, counter: int, **values: object) -> str:
    """One variant of line ``key``, chosen by seed and counter, filled with ``values``."""
    variants = LINES[key]
    pick = zlib.crc32(f"{seed}:{key}:{counter}".encode()) % len(variants)
    return variants[pick].format(**values)
