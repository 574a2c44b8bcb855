"""render() from several threads: the same bytes as one thread, WeasyPrint entered by one thread at a time, no GLib noise.

Run in a fresh interpreter so stderr (where GLib writes its warnings, below
Python) can be read whole.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

SCRIPT = textwrap.dedent(
    """
    import hashlib, json, threading, time
    import weasyprint
    from contractgen.pipeline import render
    from tests.conftest import make_agreement_model

    inside = 0
    most = 0
    guard = threading.Lock()

    def probed(method):
        def wrapper(*args, **kwargs):
            global inside, most
            with guard:
                inside += 1
                most = max(most, inside)
            try:
                time.sleep(0.05)  # widen the window: without the engine lock, threads overlap here
                return method(*args, **kwargs)
            finally:
                with guard:
                    inside -= 1
        return wrapper

    weasyprint.HTML.render = probed(weasyprint.HTML.render)
    weasyprint.Document.write_pdf = probed(weasyprint.Document.write_pdf)

    models = [make_agreement_model(contract_no=f"T-{n}", parties__client__contact="张" + "淼犇骉羴"[n]) for n in range(4)]
    alone = [hashlib.sha256(render(m)["pdf"]).hexdigest() for m in models]
    together = [[] for _ in models]
    start = threading.Barrier(4)

    def work(n):
        start.wait()
        for round in range(2):
            model = models[(n + round) % 4]
            together[(n + round) % 4].append(hashlib.sha256(render(model)["pdf"]).hexdigest())

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"alone": alone, "together": together, "most_inside": most}))
    """
)


def test_four_threads_render_the_same_bytes_one_at_a_time_without_glib_warnings():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # GLib's heap warnings ("corrupted double-linked list") land here
    facts = json.loads(done.stdout)
    assert all(set(hashes) == {facts["alone"][n]} for n, hashes in enumerate(facts["together"]))
    assert [len(hashes) for hashes in facts["together"]] == [2, 2, 2, 2]
    assert facts["most_inside"] == 1
