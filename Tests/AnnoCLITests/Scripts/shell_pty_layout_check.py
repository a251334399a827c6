"""Resizes a real terminal, presses Tab and pages, through a pseudo-terminal (pexpect).

Usage: shell_pty_layout_check.py ANNO_BIN DB STATE_DIR
The database holds 'long' (30 paragraphs, "Paragraph N ..." each) annotated by ann2, and
'short'. Checks that output wraps to the terminal's width after the window is resized; that
Tab completes a quoted multi-word target, a format after --format, an annotator after
--annotator, a quoted phrase, and lists span ids with their text; and that output taller than
the terminal goes through the pager (less -R by default, $PAGER otherwise, never with
--no-pager). Prints one line per check; exits 1 on the first failure.
"""
import os
import re
import sys

import pexpect

anno, db, state = sys.argv[1:4]
PROMPT = re.compile(r"\[\d+/\d+\] > ")
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")


def spawn(rows, columns, args=(), extra_env=None):
    env = dict(os.environ, XDG_STATE_HOME=state, HOME=state, ANNO_ANNOTATOR="pty", TERM="xterm",
               INPUTRC="/dev/null", NO_COLOR="1")
    for name in ("PAGER", "LESS", "COLUMNS", "LINES"):
        env.pop(name, None)
    env.update(extra_env or {})
    child = pexpect.spawn(anno, ["--db", db, "shell", *args], env=env, encoding="utf-8",
                          timeout=10, dimensions=(rows, columns))
    child.expect(PROMPT)
    return child


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name}\n{detail}")
        sys.exit(1)
    print(f"ok   {name}")


def run(child, command):
    """Types a command; returns its output lines, escapes removed (the echo left out)."""
    child.send(command + "\r")
    child.expect(PROMPT)
    lines = ESCAPES.sub("", child.before).split("\n")
    return [line for line in lines[1:] if line.strip()]


def widest(lines):
    return max(len(line) for line in lines)


# Resizing: output follows the window's width, re-read at every command.
child = spawn(30, 120, ["--no-pager"])
run(child, "open long")
wide = run(child, "show 1-2")
check("paragraphs fill a 120-column terminal", 80 < widest(wide) <= 120, "\n".join(wide))
child.setwinsize(30, 60)
child.expect(PROMPT)
check("readline redraws its line when the window is resized", True)
narrow = run(child, "show 1-2")
check("after a resize to 60 columns they wrap at 60", widest(narrow) <= 60, "\n".join(narrow))
helped = run(child, "help")
check("help wraps at 60 columns", widest(helped) <= 60 and len(helped) > 30, "\n".join(helped))
child.setwinsize(30, 40)
child.expect(PROMPT)
history = run(child, "history")
check("and history at 40", widest(history) <= 40, "\n".join(history))
child.sendcontrol("d")
child.expect(pexpect.EOF)

# Tab, for every kind of argument.
child = spawn(30, 120, ["--no-pager"])
run(child, "open short")
child.send("stance Uni\t")
child.expect_exact('"United States" ')
child.send("fav\t")
child.expect_exact("favor ")
child.send("\r")
child.expect_exact("stance toward United States: favor")
child.expect(PROMPT)
check("Tab quotes a multi-word stance target", True)
child.send("export --format doc\t")
child.expect_exact("doccano ")
child.sendcontrol("u")
check("Tab completes a format after --format", True)
child.send("export --annotator an\t")
child.expect_exact("ann2 ")
child.sendcontrol("u")
check("Tab completes an annotator after --annotator", True)
child.send('tag PER "Sergei L\t')
child.expect_exact('"Sergei Lavrov" ')
child.send("\r")
child.expect_exact("tagged")
child.expect(PROMPT)
child.send('tag LOC So\t\r')
child.expect_exact("tagged")
child.expect(PROMPT)
check("Tab completes a quoted phrase and a word", True)
child.send("untag #\t\t")
child.expect_exact("[Sergei Lavrov]PER#1")
child.expect_exact("[Sochi]LOC#2")
child.sendcontrol("u")
child.send("relabel #2 O\t")
child.expect_exact("ORG ")
child.sendcontrol("u")
check("Tab offers span ids after untag and relabel, listed with their text", True)
child.sendcontrol("d")
child.expect(pexpect.EOF)

# Paging: taller than the terminal goes through the pager.
child = spawn(24, 80)
check("the start shows what fits and the help hint above the prompt, unpaged",
      "Type 'help' for the commands" in child.before and "\x1b[?1049h" not in child.before
      and "'show' pages them all" in child.before)
run(child, "open long")
child.send("show\r")
child.expect_exact("\x1b[?1049h")  # less takes the alternate screen
child.expect_exact("Paragraph 1 ")
child.send("q")
child.expect_exact("'show N-M' prints paragraphs N to M here")
child.expect(PROMPT)
check("show pages a long document through less -R", "Paragraph 30" not in child.before)
short = run(child, "show 2")
check("output that fits is printed", any("Paragraph 2 " in line for line in short))
child.sendcontrol("d")
child.expect(pexpect.EOF)

paged = os.path.join(state, "paged.txt")
child = spawn(24, 80, extra_env={"PAGER": f"cat > '{paged}'"})
run(child, "open long")
shown = run(child, "show")
text = open(paged, encoding="utf-8").read()
check("$PAGER gets the whole text, the terminal none of it",
      "Paragraph 1 " in text and "Paragraph 30 " in text
      and not any("Paragraph 30" in line for line in shown), "\n".join(shown))
child.sendcontrol("d")
child.expect(pexpect.EOF)

child = spawn(24, 80, ["--no-pager"])
run(child, "open long")
shown = run(child, "show")
check("--no-pager prints it all", any("Paragraph 30 " in line for line in shown))
child.sendcontrol("d")
child.expect(pexpect.EOF)
print("pty layout checks passed")
