"""A member who moves is recorded with where they go (models.roster.destination_refusal);
striking off and expulsion have no destination."""

from models.roster import LeftReason, destination_refusal


def test_a_move_needs_where_to_and_only_a_move_has_one():
    assert destination_refusal(LeftReason.moved, "Chi bộ Trường THPT Lê Lợi") is None
    assert destination_refusal("moved", None).code == "destination_required"
    assert destination_refusal("moved", "   ").code == "destination_required"
    assert destination_refusal(LeftReason.struck_off, None) is None
    assert destination_refusal(LeftReason.expelled, None) is None
    assert destination_refusal(LeftReason.expelled, "Nơi khác").code == "destination_not_moving"
    assert destination_refusal(None, None) is None
