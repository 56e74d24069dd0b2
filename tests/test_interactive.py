"""What users see interactively: reprs. (Warnings for likely mistakes:
test_diagnostics.py.)"""

from conftest import TINY, make_tagging_data

from skattention import AttentionTokenClassifier


def test_repr_shows_changed_parameters_including_skorch_ones():
    est = AttentionTokenClassifier(d_model=64, module__word_dropout=0.0)
    assert repr(est) == "AttentionTokenClassifier(d_model=64, module__word_dropout=0.0)"


def test_html_repr_for_jupyter_shows_parameters_and_fitted_state():
    X, y = make_tagging_data(20)
    est = AttentionTokenClassifier(**TINY)
    html = est._repr_html_()
    assert "AttentionTokenClassifier" in html and "Not fitted" in html
    est.fit(X, y)
    html = est._repr_html_()
    assert "Not fitted" not in html and "Fitted" in html and "d_model" in html
    assert "text/html" in est._repr_mimebundle_()
