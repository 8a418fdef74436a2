package sim

import (
	"encoding/json"
	"math/big"
	"net/http"
	"strconv"
	"strings"
)

// Money is exact: balances are JSON numbers read as exact decimals, and
// interest is computed in integer cents, so no float drift ever shows.

// maxDecimal bounds the JSON numbers read as exact decimals, so that a number
// like 1e999999999 cannot make the arithmetic expensive.
const maxDecimal = 400

// decimal reads a JSON number literal exactly.
func exactDecimal(lit string) (*big.Rat, bool) {
	if lit == "" || len(lit) > maxDecimal {
		return nil, false
	}
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		exp, err := strconv.Atoi(lit[i+1:])
		if err != nil || exp < -maxDecimal || exp > maxDecimal {
			return nil, false
		}
	}
	return new(big.Rat).SetString(lit)
}

// roundRat rounds to the nearest integer, halves away from zero.
func roundRat(r *big.Rat) *big.Int {
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() != 0 && new(big.Int).Lsh(new(big.Int).Abs(m), 1).Cmp(r.Denom()) >= 0 {
		q.Add(q, big.NewInt(int64(r.Sign())))
	}
	return q
}

func toCents(r *big.Rat) *big.Int {
	return roundRat(new(big.Rat).Mul(r, big.NewRat(100, 1)))
}

// formatCents writes cents as dollars with two decimals: 13310 → "133.10".
func formatCents(c *big.Int) string {
	digits := new(big.Int).Abs(c).String()
	if len(digits) < 3 {
		digits = strings.Repeat("0", 3-len(digits)) + digits
	}
	sign := ""
	if c.Sign() < 0 {
		sign = "-"
	}
	return sign + digits[:len(digits)-2] + "." + digits[len(digits)-2:]
}

// postInterest answers POST /accounts/{id}/interest {"rate":0.10}: the
// balance grows by balance×rate rounded to the cent, and the posting is
// recorded as a transaction. Not idempotent: every POST adds interest again.
func (s *Server) postInterest(x *exchange, rt route) reply {
	if rep, failed := s.precondition(x, "", false); failed {
		return rep
	}
	doc := x.document()
	rateLit, ok := doc["rate"].(json.Number)
	if !ok {
		if _, present := doc["rate"]; present {
			return errorReply(http.StatusUnprocessableEntity, `"rate" must be a JSON number such as 0.10 for 10%%, not %s`, jsonKindOf(doc["rate"]))
		}
		return errorReply(http.StatusUnprocessableEntity, `the body needs a "rate": a number such as 0.10 for 10%% interest, as in {"rate":0.10}`)
	}
	rate, ok := exactDecimal(string(rateLit))
	if !ok || rate.Sign() <= 0 || rate.Cmp(big.NewRat(1, 1)) > 0 {
		return errorReply(http.StatusUnprocessableEntity, `rate %s is out of range: give a fraction above 0 and at most 1, such as 0.10 for 10%%`, quoteInput(string(rateLit)))
	}
	cur, exists := s.st.res[rt.account]
	if !exists {
		return errorReply(http.StatusNotFound, "there is no account at %s; create it with PUT first, such as PUT %s {\"balance\":100}", rt.account, rt.account)
	}
	account := decodeObject(cur.body)
	balLit, ok := account["balance"].(json.Number)
	bal, exact := exactDecimal(string(balLit))
	if !ok || !exact {
		return errorReply(http.StatusConflict, "%s has no \"balance\" this server can compute with (a JSON number of at most %d characters); PUT one first, such as {\"balance\":100}", rt.account, maxDecimal)
	}
	old := toCents(bal)
	interest := roundRat(new(big.Rat).Mul(new(big.Rat).SetInt(old), rate))
	balance := formatCents(new(big.Int).Add(old, interest))
	account["balance"] = json.Number(balance)
	accountBody, err := canonicalJSON(account)
	if err != nil {
		return errorReply(http.StatusUnprocessableEntity, "the account could not be encoded (%v)", err)
	}
	txBody, err := canonicalJSON(map[string]any{
		"type":    "interest",
		"rate":    rateLit,
		"amount":  json.Number(formatCents(interest)),
		"balance": json.Number(balance),
		"time":    x.now.UTC().Format("2006-01-02T15:04:05Z"),
	})
	if err != nil {
		return errorReply(http.StatusUnprocessableEntity, "the transaction could not be encoded (%v)", err)
	}
	if rep, full := s.room(true, len(cur.body), len(accountBody)+len(txBody)); full {
		return rep
	}
	s.st.set(&x.tx, rt.account, accountBody)
	txPath := s.st.newMemberPath(&x.tx, rt.account+"/transactions")
	s.st.set(&x.tx, txPath, txBody)
	return representation(x, x.reply(http.StatusCreated, txBody,
		"Content-Type", "application/json",
		"Location", txPath,
		"Content-Location", txPath,
		"Etag", etagOf(txBody),
	))
}
