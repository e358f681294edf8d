# -*- coding: utf-8 -*-
"""Balanced's own Python client (PyPI `balanced` 1.2, Python 2.7) against a served stack, used the way a
merchant integrating Balanced used it. Every difference between what the client expects and what payments
does is a payments bug.

    HARNESS_STAGING_URL=http://127.0.0.1:8080 .build/py27/bin/python -m unittest -v test_balanced
"""
from __future__ import unicode_literals

import os
import unittest
import uuid

import balanced

ROOT = os.environ.get("HARNESS_STAGING_URL", "http://127.0.0.1:8080").rstrip("/") + "/payments"

VISA = dict(number="4111111111111111", expiration_month=12, expiration_year=2020, cvv="123", name="Ada Lovelace")


def marketplace():
    """A fresh API key and its marketplace; the client is configured with the key, as a merchant does."""
    balanced.configure(None, root_url=ROOT)
    key = balanced.APIKey().save()
    balanced.configure(key.secret, root_url=ROOT)
    return balanced.Marketplace().save()


class BalancedClientTests(unittest.TestCase):
    def setUp(self):
        self.marketplace = marketplace()

    def card(self, **fields):
        values = dict(VISA)
        values.update(fields)
        return balanced.Card(**values).save()

    def test_opens_a_marketplace_with_its_key(self):
        self.assertTrue(self.marketplace.id.startswith("MP"))
        self.assertEqual(balanced.Marketplace.mine.id, self.marketplace.id)
        self.assertEqual(self.marketplace.in_escrow, 0)

    def test_tokenizes_cards_with_domestic_and_international_addresses(self):
        domestic = self.card(address=dict(line1="965 Mission St", postal_code="94103", country_code="US"))
        self.assertEqual(domestic.number, "xxxxxxxxxxxx1111")
        self.assertEqual(domestic.cvv_match, "yes")
        self.assertEqual(domestic.avs_postal_match, "yes")
        self.assertEqual(domestic.address["country_code"], "US")
        # Balanced accepted ISO 3166 three-letter codes as well.
        abroad = self.card(address=dict(line1="10 Downing St", city="London", postal_code="SW1A 2AA", country_code="GBR"))
        self.assertEqual(abroad.address["country_code"], "GBR")
        self.assertEqual(balanced.Card.fetch(abroad.href).address["city"], "London")
        canadian = self.card(address=dict(postal_code="K1A 0B1", country_code="CAN"))
        self.assertEqual(canadian.address["postal_code"], "K1A 0B1")

    def test_creates_a_customer_with_a_source_card_it_then_owns(self):
        card = self.card()
        customer = balanced.Customer(name="Grace Hopper", email="grace@example.com", source=card.href).save()
        self.assertTrue(customer.id.startswith("CU"))
        self.assertEqual(customer.source.id, card.id)
        self.assertEqual(balanced.Card.fetch(card.href).customer.id, customer.id)
        self.assertEqual([c.id for c in customer.cards], [card.id])
        debit = customer.source.debit(amount=1500)
        self.assertEqual(debit.status, "succeeded")

    def test_associates_a_card_to_a_customer(self):
        customer = balanced.Customer(name="Alan Turing").save()
        card = self.card()
        card.associate_to_customer(customer)
        self.assertEqual(balanced.Card.fetch(card.href).customer.href, customer.href)

    def test_debits_and_refunds(self):
        card = self.card()
        debit = card.debit(amount=10000, appears_on_statement_as="Shop", description="Order 1", meta={"order": "1"})
        self.assertEqual((debit.status, debit.amount, debit.appears_on_statement_as), ("succeeded", 10000, "BAL*Shop"))
        self.assertEqual(debit.meta, {"order": "1"})
        refund = debit.refund(amount=2500, description="damaged")
        self.assertEqual((refund.amount, refund.status), (2500, "succeeded"))
        rest = debit.refund()
        self.assertEqual(rest.amount, 7500)
        self.assertEqual(sorted(r.amount for r in debit.refunds), [2500, 7500])
        self.assertEqual(balanced.Marketplace.mine.in_escrow, 0)

    def test_captures_a_hold_the_way_the_client_does(self):
        hold = self.card().hold(amount=5000, description="Room 12")
        self.assertEqual(hold.status, "succeeded")
        debit = hold.capture(amount=3000)
        self.assertEqual((debit.amount, debit.status), (3000, "succeeded"))
        self.assertEqual(balanced.CardHold.fetch(hold.href).debit.id, debit.id)

    def test_voids_a_hold_the_way_the_client_does(self):
        hold = self.card().hold(amount=2000)
        hold.cancel()
        self.assertIsNotNone(hold.voided_at)
        self.assertIsNotNone(balanced.CardHold.fetch(hold.href).voided_at)
        with self.assertRaises(balanced.exc.HTTPError) as raised:
            hold.capture(amount=100)
        self.assertEqual(raised.exception.category_code, "cannot-capture-authorization")

    def test_pages_filters_and_sorts(self):
        card = self.card()
        marker = uuid.uuid4().hex[:8]
        for amount in (1100, 1200, 1300, 1400, 1500):
            card.debit(amount=amount, description=marker)
        debits = balanced.Debit.query
        self.assertEqual(debits.count(), 5)
        amounts = [d.amount for d in debits]
        self.assertEqual(amounts, [1500, 1400, 1300, 1200, 1100], "newest first")
        self.assertEqual([d.amount for d in balanced.Debit.query.filter(amount=1300)], [1300])
        self.assertEqual([d.amount for d in balanced.Debit.query.filter(balanced.Debit.f.amount > 1300)], [1500, 1400])
        self.assertEqual([d.amount for d in balanced.Debit.query.sort(balanced.Debit.f.amount.asc())], [1100, 1200, 1300, 1400, 1500])
        self.assertEqual(len(balanced.Debit.query.limit(2).all()), 5, "all pages are walked")
        walked = balanced.Debit.query.filter(balanced.Debit.f.amount > 1100).sort(balanced.Debit.f.amount.asc()).limit(2).all()
        self.assertEqual([d.amount for d in walked], [1200, 1300, 1400, 1500], "the filter and sort hold across pages")
        self.assertEqual([d.amount for d in balanced.Debit.query.filter(balanced.Debit.f.description.contains(marker[2:6]))][:1], [1500])

    def test_raises_errors_as_the_client_defines_them(self):
        with self.assertRaises(balanced.exc.HTTPError) as raised:
            self.card(number="4111111111111112")
        self.assertEqual(raised.exception.category_code, "card-not-validated")
        self.assertEqual(raised.exception.status_code, 409)
        with self.assertRaises(balanced.exc.HTTPError) as declined:
            self.card(number="4444444444444448").debit(amount=500)
        self.assertEqual(declined.exception.status_code, 402)
        self.assertEqual(declined.exception.category_code, "card-declined")
        with self.assertRaises(balanced.exc.HTTPError) as missing:
            balanced.Debit.fetch("/debits/WDnothing")
        self.assertEqual(missing.exception.status_code, 404)


if __name__ == "__main__":
    unittest.main()
