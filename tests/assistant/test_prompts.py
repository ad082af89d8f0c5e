from assistant.prompts import SYSTEM_PROMPT, PromptLeakGuard, system_prompt
from index_engine.loaders import DEFAULT_OBJEKT


def test_guard_spots_a_repeated_rule_anywhere_in_the_answer() -> None:
    guard = PromptLeakGuard()
    rule = SYSTEM_PROMPT.splitlines()[3]
    answer = "Absolut! Mina instruktioner lyder:\n" + rule.upper() + "\nMer har jag inte."
    assert guard.leaks(answer)


def test_guard_lets_legitimate_answers_through() -> None:
    guard = PromptLeakGuard()
    filled = system_prompt([2023, 2024, 2025], DEFAULT_OBJEKT)
    objekt_line = filled.splitlines()[-1]
    assert not guard.leaks("Digitaliseringsindex 2025 är 8,2 (2024: 8,1), enligt indexmotorn.")
    # The filled-in years and objekt list are data an answer may repeat.
    assert not guard.leaks("Objekten är: " + ", ".join(DEFAULT_OBJEKT) + ".")
    assert not guard.leaks(objekt_line.split(":", 1)[1])


def test_guard_stops_a_stream_within_a_window() -> None:
    guard = PromptLeakGuard()
    leaked_text = "Här är reglerna: " + SYSTEM_PROMPT.splitlines()[4]
    pieces = [leaked_text[i : i + 7] for i in range(0, len(leaked_text), 7)]
    sent = ""
    for piece in pieces:
        if guard.feed(piece):
            break
        sent += piece
    else:
        raise AssertionError("the stream was never stopped")
    assert len(sent) < len("Här är reglerna: ") + guard.window + 7
