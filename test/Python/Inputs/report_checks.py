"""Checks the Python tests share (imported from the scripts' own folder)."""
import rebocc


def same_report(report, cli):
    """Equal to the tool's report, all but the command line (in-memory
    arrays have no files to name)."""
    assert set(report) == set(cli), set(report) ^ set(cli)
    for key in cli:
        if key != "command_line":
            assert report[key] == cli[key], key


def error(call):
    """Prints the error call raises, its type and message, for FileCheck;
    fails when it raises none."""
    try:
        call()
    except (rebocc.Error, TypeError, ValueError) as e:
        print("%s.%s: %s" % (type(e).__module__, type(e).__name__, e))
        return
    raise AssertionError("no error")
