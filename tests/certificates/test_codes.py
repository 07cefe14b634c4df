import math

from hypothesis import given
from hypothesis import strategies as st

from certificates.codes import ALPHABET, LENGTH, code_format, code_generate, code_normalise


def test_code_has_at_least_80_random_bits_from_an_unambiguous_alphabet():
    assert LENGTH * math.log2(len(ALPHABET)) >= 80
    assert not set("ILOU") & set(ALPHABET)
    codes = {code_generate() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)


def test_code_is_printed_in_groups_of_four():
    assert code_format("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"


def test_typed_code_is_read_case_insensitively_and_forgives_confusable_letters():
    assert code_normalise(" abcd efgh-jkmn-pqrs ") == "ABCDEFGHJKMNPQRS"
    assert code_normalise("oOiI-lL00-1111-2222") == "00111100" + "11112222"
    assert code_normalise("ABCD-EFGH-JKMN") is None
    assert code_normalise("ABCD-EFGH-JKMN-PQRU") is None  # U is not in the alphabet
    assert code_normalise("") is None


@given(st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH))
def test_formatted_code_normalises_back(code):
    assert code_normalise(code_format(code).lower()) == code
