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
    # -- formats: the clock moving phases on, pauses, the grade on request ---------------
    "clock-to-coding": (
        "That's a good point to stop clarifying; let's get into the code.",
        "We've covered the requirements well enough for now. Let's move on to coding.",
    ),
    "clock-to-followups": (
        "We have {time_left} left, so let's stop coding there and talk about your solution.",
        "With {time_left} to go, I'd like to use the rest of our time to discuss what you've "
        "built. Let's put the code down.",
    ),
    "reminder-15-talk": (
        "About fifteen minutes left in our time.",
    ),
    "reminder-5-talk": (
        "We have about five minutes left, so this will be one of the last questions.",
    ),
    "pause-refused": (
        "The clock keeps running in this format, as it would in the real interview. "
        "Practice mode lets you pause.",
    ),
    "paused": (
        "The clock is paused. Take your time; type /pause again, or anything else, when "
        "you're back.",
    ),
    "unpaused": (
        "Welcome back. The clock is running again (paused for {away}).",
    ),
    "grade-early": (
        "The grade comes with the report; type /feedback when you're ready for it.",
    ),
    "grade": (
        "You asked for the grade: {grade} (score {score}).",
    ),
    "language-workspace": (
        "I see your {entry} isn't Python yet ({language}, by the look of it). This interview "
        "is Python only, so please write it in Python; the tests run your {entry}.",
    ),
}


def line(key: str, seed: int, counter: int, **values: object) -> str:
    """One variant of line ``key``, chosen by seed and counter, filled with ``values``."""
    variants = LINES[key]
    pick = zlib.crc32(f"{seed}:{key}:{counter}".encode()) % len(variants)
    return variants[pick].format(**values)
