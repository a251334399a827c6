"""Types into the real readline shell through a pseudo-terminal (pexpect).

Usage: shell_pty_check.py ANNO_BIN DB STATE_DIR
Checks Tab completion of a command, a label and a quoted phrase, Ctrl-C leaving the shell
alive, Ctrl-D leaving it, the history file written and reloaded (Up arrow), and colour on a
terminal but not with NO_COLOR. Prints one line per check; exits 1 on the first failure.
"""
import os
import sys

import pexpect

anno, db, state = sys.argv[1:4]
ESC_COLOUR = "\x1b[36m"  # the annotator's colour in the prompt


def spawn(extra_env=None):
    env = dict(os.environ, XDG_STATE_HOME=state, ANNO_ANNOTATOR="pty", TERM="xterm", HOME=state,
               INPUTRC="/dev/null")
    env.pop("NO_COLOR", None)
    env.update(extra_env or {})
    child = pexpect.spawn(anno, ["--db", db, "shell"], env=env, encoding="utf-8", timeout=10,
                          dimensions=(40, 120))
    child.expect_exact("> ")
    return child


def check(name, condition):
    if not condition:
        print(f"FAIL {name}")
        sys.exit(1)
    print(f"ok   {name}")


child = spawn()
check("colour in the prompt on a terminal", ESC_COLOUR in child.before)

child.send("sho\t")
child.expect_exact("show ")
child.send("\r")
child.expect_exact("Lavrov")
child.expect_exact("> ")
check("Tab completes a command", True)

child.send("tag P\t")
child.expect_exact("PER ")
child.send('"Sergei L\t')
child.expect_exact('"Sergei Lavrov"')
check("Tab completes a label and a quoted phrase", True)
child.send("\r")
child.expect_exact("tagged")
child.expect_exact("> ")

child.send("this line is abandoned")
child.sendcontrol("c")
child.expect_exact("> ")
child.send("stats\r")
child.expect_exact("documents")
child.expect_exact("> ")
check("Ctrl-C cancels the line and the shell stays alive", child.isalive())

child.sendcontrol("d")
child.expect(pexpect.EOF)
child.close()
check("Ctrl-D leaves with status 0", child.exitstatus == 0)

history = open(os.path.join(state, "anno", "history"), encoding="utf-8").read()
check("history file written", 'tag PER "Sergei Lavrov"' in history and "this line is abandoned" not in history)

child = spawn({"NO_COLOR": "1"})
check("no colour with NO_COLOR", ESC_COLOUR not in child.before and "\x1b[1m" not in child.before)
child.send("\x1b[A")  # Up arrow: the last line of the previous session
child.expect_exact("stats")
check("history reloaded in a new session", True)
child.sendcontrol("c")
child.expect_exact("> ")
child.sendcontrol("d")
child.expect(pexpect.EOF)
print("pty checks passed")
