"""Build ``zeroshot_real.jsonl``: real words of health and care workers from the seed reports.

Every text below is copied from the public reports in ``../shared/seeds/`` (the documents this
project was created from; see their README). Only the workforce's own words are taken, never
the report authors' prose:

- ``quote``: a verbatim answer of a link worker or care coordinator, quoted in the report
  (depth interviews, survey comments, the one Plymouth interview quote);
- ``note``: a point the workforce raised, recorded in note form by the report: topics brought
  to the peer supervision sessions, conference breakout notes, the Greater Manchester
  workforce's own proposals and suggestions. Worded by the note taker, not the author's
  analysis.

Left out: the report authors' analysis, survey questions and rating statements written by the
survey designers ("I feel valued in my role."), the commissioner's quote (not a worker) and
headings. The seeds hold no more than this: 63 texts in all, fewer than the 80 hoped for.

Labels were given by hand against the definitions, include and exclude text of
``codebooks/supervision.yaml``, multi-label, before any coder was run on these texts: I
isolation, B boundaries, U burnout, V validation; an empty label means no code. Judgement
calls are commented where the call was close.

The file is split in half, stratified by label set with seed 7 (``half`` field): ``tune`` may
be looked at while changing the coder, ``test`` is scored only at the end.

    .venv/bin/python bench/data/zeroshot_real_make.py   # rewrites zeroshot_real.jsonl
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

CODES = {"I": "isolation", "B": "boundaries", "U": "burnout", "V": "validation"}
SEED = 7
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
# 001 (Gloucestershire pilot headlines) and 002 (action learning set executive summary) quote
# no worker, so nothing comes from them.
NALW, GM, PLY = ("000_e390fda51831f5e4.txt", "003_e8bdfaf0b9a3c9a6.txt",
                 "004_6b3d08a3b17ab314.txt")

# (seed file, line, kind, text, codes)
ITEMS = [
# ---- NALW 2019: topics link workers brought to the peer supervision sessions ----
(NALW, 139, "note", "Supporting clients with complex needs", ""),
(NALW, 140, "note", "Maintaining professional boundaries with clients", "B"),
(NALW, 141, "note", "Addressing housing issues", ""),
(NALW, 142, "note", "Working with clients who have ambitious goals", ""),
(NALW, 143, "note", "Opportunities for clients to work with animals", ""),
(NALW, 144, "note", "Supporting clients with an alcohol problem who are reluctant to acknowledge the problem", ""),
# role creep (additional responsibility); the pressures are named, their toll is not: B only
(NALW, 147, "note", "Changes to the Link Workers role e.g. additional responsibility, community development and addressing concerns about the changes and additional pressures", "B"),
(NALW, 148, "note", "Supporting clients with PTSD", ""),
(NALW, 149, "note", "Safeguarding referrals", ""),
# coping with strain is implied, no strain described: no code
(NALW, 150, "note", "Self-care and coping strategies", ""),
(NALW, 151, "note", "The importance of holding onto and sharing 'good stories' of clients who have benefited from the service", ""),
# frustration with services, not exhaustion: no code
(NALW, 152, "note", "Frustration and 'hitting a brick wall' when accessing support for clients or with clients", ""),
(NALW, 153, "note", "Supporting clients with health anxieties and a busy life schedule", ""),
(NALW, 154, "note", "Further training", ""),
# ---- NALW 2019: depth interviews with link workers ----
(NALW, 164, "quote", "Via xxxxxx, who invited me to attend.", ""),
(NALW, 166, "quote", "It was my line manager, she sent me an email about it and I value clinical supervision - she said it was clinical supervision, and I have had it before and I found it extremely valuable and thought I would sign up to it.", ""),
# sharing with peers who have similar challenges is wanted, not reported as recognition: no code
(NALW, 170, "quote", "It sounded interesting and I enjoy connecting with new people and learning about other projects. I also value having a space to talk and share with others who have similar challenges and experiences. I also did it to be helpful and offer my experience to the sessions.", ""),
(NALW, 172, "quote", "It was something that the NALW recommended and it sounded interesting and we don't get these opportunities to reflect and discuss and that is it was scheduled in by someone external so if it is someone outside your organization you can be more strict with your use of time.", ""),
(NALW, 176, "quote", "don't know", ""),
(NALW, 176, "quote", "whatever was important to the other participants in their professional life.", ""),
# anxieties and insecurities in the role, no exhaustion or overwhelm: no code
(NALW, 180, "quote", "I thought that it would help me to understand the role and to talk about any anxieties and insecurities that I have in the role and how best to support people.", ""),
(NALW, 186, "quote", "Strange at first but great after getting used to it.", ""),
(NALW, 188, "quote", "Zoom is really easy, its just good and quick and much better than Skype, as you have both video and sound and is just as good as face to face.", ""),
(NALW, 194, "quote", "Opportunity to share knowledge and experience. Opportunity to get feedback and support from others.", ""),
(NALW, 196, "quote", "The chance to talk about the general workload, the stress of it all, individuals that are being supported - folk that have been particularly difficult - just talking about the structure and that you are working against the systems and structures", "U"),
(NALW, 198, "quote", "clients, operational side of role, challenges, resources.", ""),
(NALW, 202, "quote", "Yes, the time was just right it didn't feel too long or too short and it wasn't too rushed and there was enough time to go round to everyone.", ""),
(NALW, 204, "quote", "Could be slightly longer just to make sure that we go through all the issues properly", ""),
(NALW, 208, "quote", "I think that some things came up quite naturally and then things came up that turned out to be really helpful measures, so everything I wanted to talk about was covered.", ""),
(NALW, 210, "quote", "No, just the freedom to talk about anything knowing its 100% confidential. One of the sessions was a bit more hesitant and everyone was a bit quieter to start off with as we didn't have anyone or thing in particular to discuss, as the first session we brought a case study to discuss but once we got talking and sharing it didn't really matter that we didn't have anything to discuss.", ""),
(NALW, 214, "quote", "How to think about time management in a more effective way.", ""),
(NALW, 216, "quote", "Probably the main thing that was so helpful was listening to how others work, as we are so flexible and listening to others was really helpful, as we learnt new ways of thinking and working.", ""),
# lone working is named, support notwithstanding (the definition covers lone working)
(NALW, 222, "quote", "I work alone mainly but I get support from my line manager.", "I"),
(NALW, 224, "quote", "We have a line manager and my colleagues even if they are based at other sites and we can reflect if there are any safeguarding issues.", ""),
# the pressure is on the manager and the organisation; the worker asks for structure: no code
(NALW, 226, "quote", "I have got a line manager but the Link Worker team has expanded greatly - lot of pressure on my line manager, lots of pressure as contracts have changed and it all went out to tender so all a lot of pressure and a more staff have been employed. Line manager has been distracted and with the type of role that it is we need supervision more often and it needs to be very structured rather than just a conversation - so that things aren't missed. There should be specific questions about the role and how things are going.", ""),
(NALW, 232, "quote", "I wish it could happen more often, we can see so many different people and it can be quite over whelming at times, when you come to the end of the month and you have your supervision there could be nothing in particular or there could be loads, it (peer support sessions) is really beneficial, I have felt much better afterwards compared to before.", "U"),
(NALW, 236, "quote", "I definitely feel more connected than I was – as we haven't connected to anyone externally. Would be good to get to know more people through the sessions and engage in more sessions.", "I"),
(NALW, 238, "quote", "Was really good to get validation from our peers on what we do.", "V"),
# hearing other regions, no sense of being alone before: no code
(NALW, 240, "quote", "Yes, great to hear from different parts of country.", ""),
(NALW, 244, "quote", "It can be very isolating as although I have a team that supports me, I do work on my own and being to see the national picture has been really helpful.", "I"),
# "others are in similar positions" read as peers normalising (validation), not as loneliness eased
(NALW, 246, "quote", "Space to feel understood and a sense of knowing others are in similar positions.", "V"),
(NALW, 248, "quote", "Yes, to get perspective from people who aren't in their immediate team or organisation.", ""),
# the definition covers the reassurance of peers; close call
(NALW, 250, "quote", "Felt re-assuring and comforting.", "V"),
(NALW, 254, "quote", "Yes definitely, I think it is really helpful and get to meet other people who are just as passionate as you and doing the same thing just in different way to you. I found that helpful too as you get used to your team and how they work, brilliant listening to their passion and I definitely would recommend it to other Link Workers.", ""),
(NALW, 256, "quote", "I would recommend the sessions to some colleagues, not to others, some would be cynical about them and not really benefit them, but these people are experienced and maybe wouldn't benefit. For me being new to the role, it has been really beneficial to me, it is an invaluable thing and I have good experiences of this in the past whilst others won't need it and are happy with line manager support.", ""),
(NALW, 258, "quote", "I don't think that they could have been improved, essentially how it has worked for me in the past, only difference is that we are talking through a computer screen and are in different parts of the country. It's a good way of doing it. You get a report back about what was said during the sessions. That was really good - I don't have any complaints about it.", ""),
(NALW, 260, "quote", "Not sure. Wouldn't see them as a replacement for real face to face supervision as I believe the best support happens in real life, but as supplementary they are excellent for learning and getting different type of perspective and support.", ""),
(NALW, 262, "quote", "I think that they are OK as they, hopefully it is something that can continue as there are other folk that would benefit from this. They have been good, beneficial and hope they continue!", ""),
# ---- NALW 2019: conference breakout notes ----
(NALW, 266, "note", "management understanding of role, Induction, open door policy, trusting relationship, reassurance and validation of judgement and debrief.", "V"),
# a manager dismissing what the worker needs; the report reads it as lack of understanding
(NALW, 270, "note", "Battles over clinical supervision, manager says not needed.", "V"),
# "recognise" is about supervision, not about the worker: no code
(NALW, 272, "note", "Have to recognise the need for more clinical supervision not just patient supervision.", ""),
# ---- Greater Manchester 2023: the workforce's proposals (SPLW) ----
(GM, 97, "note", "Enhancing the understanding of SPLW roles across departments.", "V"),
(GM, 98, "note", "Providing clarity to reduce inappropriate referrals, optimise resource utilisation, and address misconceptions among clinical staff.", "B V"),
(GM, 102, "note", "Inclusion and staying informed, preferring multiple updates over none at all.", "I"),
(GM, 107, "note", "Manage complex referrals effectively.", ""),
(GM, 108, "note", "Strengthen community provider interactions for better onward referrals.", ""),
# ---- Greater Manchester 2023: comments ----
(GM, 132, "quote", "All recent training has been helpful. Particularly beneficial: 1-day practice informed by Trauma Training by Norma Howes Training & Consultancy and Iris domestic abuse training", ""),
(GM, 286, "quote", "Everyone is different therefore it's important to ensure people are given the time they need", ""),
# support and access, nothing about being valued or alone: no code
(GM, 298, "quote", "I have a great line manager I work alongside and feel I can ask any question.", ""),
# ---- Greater Manchester 2023: health and wellbeing coaches' suggestions ----
(GM, 330, "note", "Clarity on other roles", ""),
(GM, 331, "note", "Improved sharing of resources and information to respond to local needs", ""),
(GM, 332, "note", "Having the dedicated time and focus to fulfil the role of H&WC responsibilities without the request to juggle additional tasks", "B"),
# ---- Plymouth 2020-21: a link worker ----
(PLY, 49, "quote", "the role has become something that I didn’t sign up for and I’m feeling burned out", "B U"),
]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_verbatim(items=ITEMS) -> list[str]:
    """Texts not found verbatim (whitespace aside) in their seed file (empty when seeds absent)."""
    missing = []
    for name, _line, _kind, text, _codes in items:
        path = SEEDS / name
        if path.exists() and _squash(text) not in _squash(path.read_text(encoding="utf-8")):
            missing.append(f"{name}: {text[:60]}")
    return missing


def records(items=ITEMS) -> list[dict]:
    """One record per item, ids zr001..., with a stratified tune/test half."""
    out = [{"id": f"zr{n:03d}", "text": text,
            "codes": [CODES[c] for c in codes.split()],
            "source": f"{name}:{line}", "kind": kind}
           for n, (name, line, kind, text, codes) in enumerate(items, 1)]
    groups: dict[str, list[dict]] = {}
    for record in out:
        groups.setdefault(" ".join(record["codes"]), []).append(record)
    rng = random.Random(SEED)
    flip = 0  # odd-sized groups alternate which half gets the extra item
    for key in sorted(groups):
        group = groups[key]
        rng.shuffle(group)
        n_test = len(group) // 2 + (len(group) % 2) * flip
        flip ^= len(group) % 2
        for n, record in enumerate(group):
            record["half"] = "test" if n < n_test else "tune"
    return out


def main() -> None:
    missing = check_verbatim()
    if missing:
        raise SystemExit("not verbatim in the seeds:\n" + "\n".join(missing))
    path = Path(__file__).with_name("zeroshot_real.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for record in records():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
