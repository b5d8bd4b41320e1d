# Builds a reference and a hypothesis trn file from sentences (one per line,
# already without ids) by deterministic edits: drop, insert, substitute,
# change case, swap neighbours. Usage:
#   awk -v variants=10 -v ref=REF -v hyp=HYP -f make-trn.awk sentences.txt
# A Park-Miller generator keeps the result the same under every awk.
function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
BEGIN { seed = 20240601; nvocab = 0 }
{
  gsub(/<\/?s>/, "")
  n = split($0, w, /[ \t]+/)
  k = 0
  for (i = 1; i <= n; i++)
    if (w[i] != "") { words[NR, ++k] = w[i]; vocab[++nvocab] = w[i] }
  count[NR] = k
  lines = NR
}
END {
  u = 0
  for (s = 1; s <= lines; s++)
    for (v = 0; v < variants; v++) {
      u++
      id = sprintf("spk%d-%04d", s % 7, u)
      r = ""; h = ""
      for (i = 1; i <= count[s]; i++) r = r (i > 1 ? " " : "") words[s, i]
      # Some utterances are said but not typed, a few are silence.
      if (v == 7) { print r " (" id ")" > ref; print " (" id ")" > hyp; continue }
      if (v == 8 && s % 3 == 0) { print " (" id ")" > ref; print "uh " vocab[1 + rnd(nvocab)] " (" id ")" > hyp; continue }
      rate = 2 + v % 5
      m = 0
      for (i = 1; i <= count[s]; i++) {
        x = words[s, i]
        e = rnd(10 * rate)
        if (e < 3) continue                                    # drop
        if (e < 6) x = vocab[1 + rnd(nvocab)]                  # substitute
        else if (e < 8) x = x " " vocab[1 + rnd(nvocab)]       # insert after
        else if (e < 10) x = toupper(substr(x, 1, 1)) substr(x, 2)  # case only
        else if (e < 12 && i < count[s]) { x = words[s, i + 1] " " x; i++ }  # swap
        hw[++m] = x
      }
      if (rnd(4) == 0) hw[++m] = vocab[1 + rnd(nvocab)]        # a word too many at the end
      for (i = 1; i <= m; i++) h = h (i > 1 ? " " : "") hw[i]
      print r " (" id ")" > ref
      print h " (" id ")" > hyp
    }
}
