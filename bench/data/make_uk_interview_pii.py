"""Build ``uk_interview_pii.jsonl`` from marked-up passages (offsets computed, never typed).

Every passage is invented: names, numbers, addresses and practices belong to no real person.
Markup: ``[[LABEL:text]]`` marks a gold span. Passages with no markup are *traps*: text full
of words that are also names ("I will", "May was awful", "Faith in the service") where
nothing may be redacted. Since 2026-12-05 a month of a year ("March 2023") is a DATE by
policy (dates finer than a year are redacted; ``--keep-month-year`` keeps them), so the two
passages that held one as a trap now mark it. Phone numbers use Ofcom's drama ranges; NHS numbers are generated
with a valid check digit; postcodes have the real format but are made up.

    python bench/data/make_uk_interview_pii.py   # rewrites bench/data/uk_interview_pii.jsonl
"""

from __future__ import annotations

import json
import re
from pathlib import Path

MARK = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]", re.DOTALL)


def nhs(nine: str) -> str:
    """A 10-digit NHS number with a valid modulus 11 check digit, spaced 3-3-4."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1)))
    check = (11 - total % 11) % 11
    assert check != 10, nine
    digits = nine + str(check)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


N1, N2, N3, N4 = nhs("485777303"), nhs("640123456"), nhs("401023211"), nhs("735114820")

PASSAGES = [
    # --- interview transcripts, speaker turns ---------------------------------------------
    "Interviewer: Can you tell me how you first heard about the link worker?\n"
    "P4: Yeah so my GP, [[PERSON:Dr Okafor]] at [[ORGANISATION:Riverside Surgery]], said there was someone "
    "called [[PERSON:Jenny]] who could help. I rang her on [[PHONE:07700 900412]] and she came round the next week.",

    "[[PERSON:Sarah]]: i spoke to [[PERSON:margaret]] about it and she said the practice had changed the system.\n"
    "Interviewer: When was that?\n[[PERSON:Sarah]]: It would have been [[DATE:Tuesday 4 May]], just before the clinic closed.",

    "I: And who else was involved?\nR: well there was [[PERSON:kevin]] from the housing, and [[PERSON:Nurse Adebayo]] "
    "came twice a week. my daughter [[PERSON:Hope]] did the shopping.",

    "P2: [[PERSON:Will]] and I went down to [[ORGANISATION:Tamar Valley PCN]] offices because nobody answered "
    "the phone. I will be honest, I hope they sort it out.",

    "Interviewer: How old is your mum now?\nP7: She's [[AGE:84]] and still lives on her own at "
    "[[ADDRESS:14 Fernbank Road]], [[LOCATION:Ivybridge]]. The carers come in the morning.",

    "Participant 3: The SPLW, [[PERSON:Priya Patel]], was brilliant. Honestly [[PERSON:Priya]] got me onto the "
    "walking group and the Age UK befriending. [[PERSON:Dr Patel]] at the practice is a different person, "
    "no relation I think.",

    "Speaker 1: I'm [[AGE:67]] now, retired, and since my husband [[PERSON:Derek]] passed I've been on my own.\n"
    "Speaker 2: And did anyone from the surgery contact you?\nSpeaker 1: [[PERSON:Mrs K.]] from reception did.",

    "Interviewer: Is there anything else?\nP11: Only that [[PERSON:aleksandra]] at the foodbank was kind. You can "
    "put that in. My number if you need it is [[PHONE:0161 496 0732]].",

    "[[PERSON:Tom]]: we had the MDT on Teams and the care coordinator said [[PERSON:Mr Hussain]] needed a "
    "referral to Mind. [[PERSON:Tom]]: then nothing happened for six weeks.",

    "R: I was referred by [[ORGANISATION:St Mary's Medical Centre]] and the letter went to the wrong house, "
    "[[ADDRESS:Flat 2, 7 Victoria Street]], which is my old flat.",

    # --- survey free text --------------------------------------------------------------------
    "The receptionist at [[ORGANISATION:Bridgeview Health Centre]] was rude when I asked for an appointment for my son "
    "who is [[AGE:6]] years old. Please contact me on [[EMAIL:lou.hendry77@example.net]].",

    "My NHS number is [[NHS_NUMBER:" + N1 + "]] and I still haven't had my results back from the hospital.",

    "I waited 3 weeks for a call back. Fed up. You can ring me [[PHONE:07700 900 871]] after 5pm.",

    "Really helpful service. [[PERSON:Shona]] the link worker helped me fill in the PIP form and sort my "
    "Universal Credit. 10/10.",

    "nobody listens. i told [[PERSON:dr rahman]] three times about the pain in my leg and he just gave me more tablets",

    "Thank you to [[PERSON:Grace]] and the team on Ward 9. My dad was [[AGE:91 years old]] and they treated him "
    "with such dignity.",

    "The app doesn't work on my phone. I emailed [[EMAIL:support.feedback@westmoor-pcn.nhs.uk]] and heard nothing.",

    "Please pass on my thanks to [[PERSON:Chidi]] and [[PERSON:Fatima]] at the pharmacy, they went above and beyond.",

    "I am a carer for my wife ([[AGE:aged 72]]) who has dementia. We live at [[ADDRESS:3 Orchard Close]], "
    "[[LOCATION:Tavistock]] [[POSTCODE:PL19 8QT]] and the nearest clinic is 40 minutes by bus.",

    "Appointment was moved to [[DATE:3rd March 2023]] without anyone telling me. Then moved again to "
    "[[DATE:17/03/2023]].",

    # --- notes, case records --------------------------------------------------------------------
    "Case note: client [[PERSON:Julie Hargreaves]], DOB [[DATE:12/08/1958]], NI [[NI_NUMBER:JH 45 67 89 C]]. "
    "Referred by [[ORGANISATION:Castle Lane Surgery]] for benefits advice.",

    "Home visit to [[ADDRESS:22 Moor View Terrace]], [[LOCATION:Liskeard]] [[POSTCODE:PL14 3DF]]. Spoke with "
    "daughter ([[PERSON:Becky]]) who is main carer. Tel [[PHONE:01632 960 555]].",

    "Breakout group 2 notes: [[PERSON:Anwar]] (pharmacist) said the ARRS roles are not joined up. "
    "[[PERSON:Claire]] from [[ORGANISATION:Kernow Health CIC]] disagreed.",

    "Follow-up with [[PERSON:Mr Oyelaran]] on [[DATE:Friday 9th June]]. NHS no. [[NHS_NUMBER:" + N2 + "]]. "
    "He is [[AGE:58]] and lives alone.",

    "Email from [[PERSON:Rachel Symonds]] ([[EMAIL:rachel.symonds@example.org]]) asking whether the group "
    "still meets on Thursdays.",

    # --- lower case, informal -------------------------------------------------------------------
    "honestly [[PERSON:gary]] was the only one who rang me back. the rest of them didnt care",

    "me and [[PERSON:jess]] went to the drop in at the library and met [[PERSON:stuart]] who runs the mens shed",

    "my son [[PERSON:callum]] is [[AGE:19]] and has autism, the transition to adult services was a nightmare",

    "i saw [[PERSON:nurse okonkwo]] at the walk in centre and she was lovely",

    "[[PERSON:bethan]] sorted my prescriptions out, before that i was ringing every day",

    # --- mixed identifiers ------------------------------------------------------------------------
    "If the team needs to reach me it's [[PHONE:+44 7700 900310]] or [[EMAIL:k.mbeki@example.co.uk]]. "
    "I'm on twitter as [[HANDLE:@kmbeki_care]] as well.",

    "Her old address was [[ADDRESS:41 Coronation Avenue]], [[LOCATION:Redruth]] [[POSTCODE:TR15 2HX]], "
    "and the new one is [[ADDRESS:9 Trelawney Gardens]].",

    "Patient ID [[NHS_NUMBER:" + N3 + "]] seen on [[DATE:14 February 2024]] at [[ORGANISATION:Derriford Hospital]].",

    "The form asked for my National Insurance number, [[NI_NUMBER:PC 12 34 56 A]], and my date of birth, "
    "[[DATE:2nd April 1961]], which felt a lot for a walking group.",

    "Call the hub on [[PHONE:0113 496 0019]] or see [[URL:www.ourlocalhub-example.org.uk]] for opening times.",

    # --- traps (no gold spans) ----------------------------------------------------------------------
    "I will be honest with you, I hope the service carries on. May was the worst month for waiting times.",

    "Faith in the service has gone down since COVID. That is the Mark of a good service, when people trust it.",

    "After my bath I sat in the garden. The rose bushes needed pruning and the grass was long.",

    "We will see. I hope so anyway. The link worker said she may be able to help with the form.",

    "It was a grand day out. The sun was shining and the daisy chains were everywhere. Pure joy.",

    "I'd like to mark this as a complaint. The GP and the practice nurse were fine, but the ICB needs to listen.",

    "We had the MDT on Zoom, then a Teams call with the SPLW and the care coordinator from the PCN.",

    "The ONS4 scores went up after 12 weeks. The DWP letter came in [[DATE:March 2023]] and again last week.",

    "Citizens Advice and Age UK were both useful; Mind ran a group on Tuesdays.",

    "Bill payments are the biggest worry. I'd rather not frank about it but money is tight.",

    "We went down to the park and had a picnic. Honest, it was the best day of the summer.",

    "I was 3 weeks on the waiting list and 2 months before anyone called. I'm 100% sure of that.",

    "She said she would ring back at 3 o'clock, and she did. Credit where it's due.",

    "Hope is what keeps you going. Grace under pressure, that's the nurses for you.",

    # --- more varied ----------------------------------------------------------------------------------
    "Interviewer: What would you change?\n[[PERSON:Mohammed]]: More time. [[PERSON:Dr Lewandowski]] only had ten minutes "
    "and I had three things to talk about.",

    "FG1: [[PERSON:Angela]] mentioned that [[ORGANISATION:Plymstock Medical Practice]] runs a carers clinic on a "
    "Wednesday. [[PERSON:Jo]] said hers doesn't.",

    "P9: My neighbour [[PERSON:Ravi]] drives me to [[LOCATION:Truro]] for the appointments. He's [[AGE:71]] himself.",

    "Social prescribing got me out of the house. [[PERSON:Siobhan]] from the team picked me up from "
    "[[ADDRESS:56 Chapel Street]] every Monday.",

    "The discharge letter listed the wrong next of kin, [[PERSON:Eileen Murphy]], who died in 2019.",

    "[[PERSON:Yusuf]]: to be fair [[PERSON:Mark]] said he would chase it, and he did. I'll give him that.",

    "I contacted [[PERSON:Ms Begum]] at the council on [[PHONE:020 7946 0213]] and she said it was not their area.",

    "Feedback: the staff at [[ORGANISATION:Harbourside Clinic]] were lovely, especially [[PERSON:Nurse Thompson]].",

    "My mum, [[PERSON:Doreen]], is [[AGE:88]]. She can't use video calls so the Zoom thing is no good to her.",

    "[[PERSON:Lauren]] from the community mental health team phoned on [[DATE:Monday 12th September]] to say "
    "the appointment had gone.",

    "Text me on [[PHONE:07700900654]] rather than calling, I work nights.",

    "The reference on my letter was [[NHS_NUMBER:" + N4 + "]], but the hospital had another number for me.",

    "[[PERSON:Hannah]] and I set up the peer group at [[ORGANISATION:Trinity Church]] hall. [[PERSON:hannah]] does the tea.",

    "Interviewer: Who do you see at the practice?\nP12: It's usually [[PERSON:Dr Greenwood]], or the nurse, "
    "[[PERSON:Karen]]. [[PERSON:karen]] knows me well.",

    "The worker, [[PERSON:Thandiwe Ncube]], visited on [[DATE:22/11/2022]]. [[PERSON:Thandiwe]] recommended the "
    "befriending scheme.",

    "Just to say [[PERSON:Tariq]] at [[ORGANISATION:Moorside Pharmacy]] spotted the interaction that the GP missed.",
]


# Held out: written after the rules were tuned on PASSAGES and never tuned on. After the first
# run two places the annotator had missed were marked (Plymouth, Nigeria); the misses that run
# showed are reported in bench/RESULTS.md.
HELD_OUT = [
    "Interviewer: Who helps you day to day?\nP14: My sister [[PERSON:Lorraine]] mostly, and a carer called "
    "[[PERSON:Bogdan]] who comes in at eight.",

    "i rang [[ORGANISATION:Lanherne Surgery]] four times and [[PERSON:debbie]] on reception kept saying "
    "the doctor would call back",

    "The social worker, [[PERSON:Ms Abernethy]], wrote to me at [[ADDRESS:5 Gwel an Mor]], [[LOCATION:Newquay]] "
    "[[POSTCODE:TR7 1QX]] but I'd moved by then.",

    "My husband [[PERSON:Clive]] is [[AGE:79]] and has Parkinson's. We both go to the carers cafe on a Friday.",

    "P6: honestly the best thing was [[PERSON:nadia]] from the befriending scheme, she just listened",

    "Please don't share this but my NHS number is [[NHS_NUMBER:" + nhs("610452735") + "]] and the letter "
    "had someone else's on it.",

    "You can get me on [[PHONE:07700 900 218]] or the landline [[PHONE:01752 960 114]] ([[LOCATION:Plymouth]]).",

    "We were referred on [[DATE:the 5th of January]] and seen on [[DATE:28/02/2024]], which isn't bad.",

    "The new practice manager, [[PERSON:Gareth Pengelly]], came to the PPG meeting. [[PERSON:Gareth]] said the "
    "phones would be sorted by spring.",

    "I found out about it from a leaflet at [[ORGANISATION:Treliske Hospital]] and then [[PERSON:Dr Wainwright]] "
    "referred me.",

    "R: [[PERSON:Kath]] and I have been friends for years. She's the one who told me about the link worker.",

    "Email me at [[EMAIL:m.trebilcock@example.com]] if you want to follow up, I don't mind.",

    "my grandson [[PERSON:Alfie]] set up the video call for me, I'd never have managed on my own",

    "Survey comment: [[ORGANISATION:Bodmin Community Hospital]] staff excellent. Car park terrible.",

    "They sent the letter to [[ADDRESS:Flat 4, 19 Lemon Street]], [[LOCATION:Truro]], which is the old address.",

    "[[PERSON:Oluwaseun]]: In [[LOCATION:Nigeria]] we would just go to the chemist. Here you wait for the GP.",

    "He was born on [[DATE:14/07/1949]], NI number [[NI_NUMBER:NR 73 19 46 B]], if that helps the form.",

    "I'm on Instagram as [[HANDLE:@trevose_walks]], that's where I post about the walking group.",

    # held-out traps
    "I will try, but I hope they don't expect too much. June was a hard month for everyone.",
    "The nurse said I should rest. Patience is not my strong point, and the sun makes it worse.",
    "We talked about hope and faith and whether the service would last beyond [[DATE:March 2025]].",
    "The GP practice, the pharmacy and the PCN all have different phone systems, which is mad.",
    "It was 20 minutes on the bus and another 10 up the hill. I'm 60% sure it was a Tuesday.",
    "Bill and council tax come first, then food. Joy is a thing other people have.",
]


def convert(passage: str) -> dict:
    """Strip the markup and return the plain text with gold spans (markup does not nest)."""
    spans: list[dict] = []
    pieces: list[str] = []
    cursor = 0
    length = 0
    for match in MARK.finditer(passage):
        plain = passage[cursor:match.start()]
        pieces.append(plain)
        length += len(plain)
        label, body = match.group(1), match.group(2)
        spans.append({"start": length, "end": length + len(body), "label": label})
        pieces.append(body)
        length += len(body)
        cursor = match.end()
    pieces.append(passage[cursor:])
    text = "".join(pieces)
    assert "[[" not in text, text
    return {"text": text, "spans": spans}


def strip_titles(record: dict) -> dict:
    """Gold PERSON spans exclude a leading title ("Dr Okafor" -> "Okafor")."""
    titles = ("dr ", "mr ", "mrs ", "ms ", "nurse ", "miss ")
    for span in record["spans"]:
        if span["label"] != "PERSON":
            continue
        value = record["text"][span["start"]:span["end"]]
        for title in titles:
            if value.lower().startswith(title):
                span["start"] += len(title)
    return record


def strip_age_words(record: dict) -> dict:
    """Gold AGE spans are the number alone ("aged 72" -> "72", "91 years old" -> "91")."""
    for span in record["spans"]:
        if span["label"] == "AGE":
            value = record["text"][span["start"]:span["end"]]
            number = re.search(r"\d+", value)
            span["start"], span["end"] = span["start"] + number.start(), span["start"] + number.end()
    return record


def write(passages: list[str], name: str) -> None:
    out = Path(__file__).with_name(name)
    with out.open("w", encoding="utf-8") as handle:
        for passage in passages:
            record = strip_age_words(strip_titles(convert(passage)))
            record["trap"] = not record["spans"]
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(passages)} passages to {out}")


def main() -> None:
    write(PASSAGES, "uk_interview_pii.jsonl")
    write(HELD_OUT, "uk_interview_pii_heldout.jsonl")


if __name__ == "__main__":
    main()
