import doctest
import io
import re
import sys
import unittest
from unittest import mock


# step: The code under test
def total(items, discount=0):
    """Sum of price times quantity, less the discount.

    >>> total([{"price": 2.5, "qty": 4}])
    10.0
    """
    if any(item["qty"] < 0 for item in items):
        raise ValueError("negative quantity")
    return round(sum(i["price"] * i["qty"] for i in items) * (1 - discount), 2)


def checkout(items, gateway):
    receipt = gateway.charge(total(items))
    return {"id": receipt["id"], "lines": len(items)}


# step: Plain assertions
class TotalTest(unittest.TestCase):
    def test_adds_line_items(self):
        self.assertEqual(total([{"price": 2.5, "qty": 4}, {"price": 5, "qty": 1}]), 15)

    def test_applies_a_discount(self):
        self.assertEqual(total([{"price": 20, "qty": 1}], 0.1), 18)

    def test_rejects_a_negative_quantity(self):
        with self.assertRaises(ValueError):
            total([{"price": 5, "qty": -1}])


# step: A mock and a snapshot
class CheckoutTest(unittest.TestCase):
    def test_charges_the_gateway_once(self):
        gateway = mock.Mock()
        gateway.charge.return_value = {"id": "r-1"}
        checkout([{"price": 5, "qty": 5}], gateway)
        gateway.charge.assert_called_once_with(25)

    def test_returns_a_receipt(self):
        gateway = mock.Mock(**{"charge.return_value": {"id": "r-2"}})
        # no snapshot assertion in the standard library: compare with a literal
        self.assertEqual(checkout([{"price": 1, "qty": 1}], gateway), {"id": "r-2", "lines": 1})

    @unittest.skip("retries when the gateway times out: not written yet")
    def test_retries(self):
        pass


# step: Print the runner's report without timings
suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
suite.addTests(doctest.DocTestSuite())  # the example in total's docstring is a test too
out = io.StringIO()
unittest.TextTestRunner(stream=out, verbosity=2).run(suite)
print(re.sub(r"(Ran \d+ tests?) in [\d.]+s", r"\1", out.getvalue()), end="")
