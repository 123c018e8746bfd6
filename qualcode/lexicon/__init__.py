"""Word knowledge shared by the stages: English words and their lemmas (:mod:`.words`), stock
non-answers such as "n/a" (:mod:`.filler`), and answers that say only that nothing needs to
change (:mod:`.nothing_to_improve`)."""
