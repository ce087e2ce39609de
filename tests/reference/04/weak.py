"""Stack samples to trace events: the weak reference.

Level 1 is right as long as every name appears once per stack. Frames are
tracked by name alone, so recursion, repeated names and a changed caller all
go wrong; each stack is searched once per frame; the noise filter counts a
name's samples over the whole trace; the duration filter ignores open calls;
and the input list is sorted in place.
"""


def convert(samples, min_samples=1, min_duration=0):
    samples.sort(key=lambda s: s[0])
    events = []
    prev = []
    started = {}
    seen = {}
    for ts, stack in samples:
        for name in reversed(prev):
            if name not in stack:
                events.append(("end", ts, name))
                if ts - started[name] < min_duration:
                    events = [e for e in events if e[2] != name or e[1] < started[name]]
        for name in stack:
            seen[name] = seen.get(name, 0) + 1
            if name not in prev:
                events.append(("start", ts, name))
                started[name] = ts
        prev = list(stack)
    if min_samples > 1:
        events = [e for e in events if seen[e[2]] > min_samples]
    return events
