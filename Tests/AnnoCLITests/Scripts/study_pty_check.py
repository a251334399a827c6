"""A blind study in the real readline shell, through a pseudo-terminal (pexpect).

Usage: study_pty_check.py ANNO_BIN DB STATE_DIR
The database holds a study (ann1 and ann2 code every document, rev reviews) in which ann1 has
finished every document. As ann2, at 120 and at 80 columns: the banner and the prompt say the
study is blind, the prompt counts ann2's queue, 'next', 'prev' and 'list' follow it, 'show
--all' is refused before 'done' and works after it. As rev: 'review' opens the one disagreement, and the prompt
counts open disagreements only (not the items both annotators agree on). Prints one line per
check; exits 1 on the first failure.
"""
import os
import re
import sys

import pexpect

anno, db, state = sys.argv[1:4]


def spawn(name, columns):
    env = dict(os.environ, XDG_STATE_HOME=state, ANNO_ANNOTATOR=name, TERM="xterm", HOME=state,
               INPUTRC="/dev/null", NO_COLOR="1")
    child = pexpect.spawn(anno, ["--db", db, "shell"], env=env, encoding="utf-8", timeout=10,
                          dimensions=(40, columns))
    child.expect(r"\S+ > ")
    return child


def prompt_line(child):
    """The line the last prompt stands on."""
    return (child.before + child.after).split("\n")[-1]


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name}: {detail!r}")
        sys.exit(1)
    print(f"ok   {name}")


def run(child, line):
    """Types a line and returns what the shell printed up to the next prompt, and the prompt."""
    child.send(line + "\r")
    child.expect(r"\n([^\n]*\S+ > )")
    return child.before, child.match.group(1)


def visible(line):
    """What a terminal line shows: after its last carriage return, without escapes."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line.rstrip("\r").split("\r")[-1])


def reviewing(prompt):
    """The document and the counts of a review prompt."""
    match = re.search(r"review:rev · (\S+) \[(\d+) open in (\d+) docs\] > $", prompt)
    return (match.group(1), int(match.group(2)), int(match.group(3))) if match else None


def prompt_document(line):
    match = re.search(r"ann2 \(blind\) · (\S+) \[(\d+)/4\] > $", line)
    return (match.group(1), int(match.group(2))) if match else (None, None)


first = None
for columns in (120, 80):
    child = spawn("ann2", columns)
    banner = child.before
    check(f"{columns} columns: the banner says the study is blind", "blind study: you are an annotator" in banner,
          banner)
    # The shell opens the first document of ann2's queue; the prompt counts the queue (4 of
    # the corpus's 6 documents)
    first, done = prompt_document(prompt_line(child))
    check(f"{columns} columns: the prompt is marked blind and counts the queue", first and done == 0,
          prompt_line(child))
    out, prompt = run(child, "show --all")
    check(f"{columns} columns: 'show --all' is refused before done",
          "blind study:" in out and "@ann1" not in out, out)
    widest = max((len(visible(line)) for line in out.split("\n")), default=0)
    check(f"{columns} columns: the refusal fits the terminal", widest <= columns, out)
    out, prompt = run(child, "next")
    check(f"{columns} columns: 'next' opens the next document of the queue",
          prompt_document(prompt)[0] not in (None, first), prompt)
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()

child = spawn("ann2", 120)
check("the same first document again", prompt_document(prompt_line(child))[0] == first, prompt_line(child))
run(child, 'tag PER "Anna Berg"')
out, _ = run(child, "tag ORG Oslo")
check("ann2 labels the first document", "tagged" in out, out)
out, prompt = run(child, "done")
second, done = prompt_document(prompt)
check("'done' counts it and moves on in the queue", done == 1 and second not in (None, first), prompt)
out, prompt = run(child, "prev")
check("'prev' goes back along the queue", prompt_document(prompt)[0] == first, prompt)
out, prompt = run(child, "show --all")
check("after done, 'show --all' shows ann1's labels", "LOC@ann1#" in out, out)
out, prompt = run(child, "next")
check("'next' steps over the finished document", prompt_document(prompt)[0] == second, prompt)
run(child, 'tag PER "Anna Berg"')
run(child, "tag LOC Oslo")
out, prompt = run(child, "done")
check("a second document done", "[2/4]" in prompt, prompt)
out, prompt = run(child, "list all")
listed = re.findall(r"\b(s\d|x\d)\b", out)
check("'list' shows the queue only", sorted(listed) == ["s1", "s2", "s3", "s4"], out)
out, prompt = run(child, "status")
check("'status' says who and what is visible", "you: ann2 (annotator)" in out, out)
child.sendcontrol("d")
child.expect(pexpect.EOF)

# The first document differs on Oslo (LOC against ORG); both agree on Anna Berg there, and on
# both labels of the second: 1 disagreement in 1 document, whatever is settled.
child = spawn("rev", 120)
check("a reviewer's prompt is not blind", "(blind)" not in prompt_line(child), prompt_line(child))
out, prompt = run(child, "review")
check("review opens the document with the disagreement, and its prompt counts the open disagreement only",
      reviewing(prompt) == (first, 1, 1), prompt)
check("the disagreement is listed with its versions", "LOC" in out and "ORG" in out, out)
out, prompt = run(child, "accept 1")
check("accepting a version settles it", reviewing(prompt) == (first, 0, 0), out + prompt)
child.sendcontrol("d")
child.expect(pexpect.EOF)
print("study pty checks passed")
