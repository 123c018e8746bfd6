"""Build the zero-shot coding benchmark: ``zeroshot_dev.jsonl`` and ``zeroshot_heldout.jsonl``.

Every passage below is invented, written for this benchmark in the voices of UK health and care
workers (social prescribing link workers, care coordinators, health and wellbeing coaches,
nurses, care workers, counsellors, supervisors). None is copied from the seed reports or from
the codebook's examples, and none is a real person's words. Each is labelled by hand with the
codes of ``codebooks/supervision.yaml`` that apply, following that codebook's definitions,
include and exclude text: I isolation, B boundaries, U burnout, V validation; an empty label
means no code. About 40% carry no code: ordinary talk about referrals, training, IT and
activities, and near misses (clients' loneliness, stress or boundaries; praise of a service;
"validated" measures; working alone by choice). Some are long multi-sentence turns, some are
lower case or misspelt, as survey answers are.

The split is fixed before any coder was scored: items are shuffled with seed 4 within groups
of the same label set and 40% of each group goes to the held-out file. Tune on the dev file
only; the held-out file is for the final figure.

    .venv/bin/python bench/data/zeroshot_make.py   # rewrites both .jsonl files
"""

from __future__ import annotations

import json
import random
from pathlib import Path

CODES = {"I": "isolation", "B": "boundaries", "U": "burnout", "V": "validation"}
HELDOUT_SHARE = 0.4
SEED = 4

# (text, codes) -- I isolation, B boundaries, U burnout, V validation
ITEMS_1 = [
# ---- isolation ----
("Being the only social prescriber across three surgeries means I don't really have anyone to turn to when a case gets complicated.", "I"),
("honestly some weeks i dont speak to another link worker at all", "I"),
("I'm based in a portakabin in the car park, so I don't bump into the GPs or the nurses, and I only hear about changes when someone remembers to forward me an email.", "I"),
("When I started there was no induction and no colleague doing the same job, I was just handed a laptop and a list of names.", "I"),
("The health coaches in our PCN are spread over six sites, so you rarely see each other and you end up working things out on your own.", "I"),
("I'm the only care coordinator in the network and sometimes it feels like I'm shouting into a void.", "I"),
("It was lovely to realise there were twenty other people on the call doing exactly what I do. I'd been feeling quite alone with it.", "I V"),
("Since the peer group started I feel part of a proper network instead of a one-person service.", "I"),
("In the practice I'm sort of neither clinical nor admin, so I don't fit in anywhere and I eat lunch at my desk on my own.", "I"),
("Working remotely since covid I've lost that sense of having a team around me.", "I"),
("Theres nobody else in the building I can debrief with after a hard call, so I just carry it.", "I"),
("The district nurses have their own office and their own WhatsApp, and I'm not in either.", "I"),
("As a lone counsellor in a GP surgery you don't have the corridor conversations you'd get in a team.", "I"),
("I visit people in their homes on my own all day and the only contact with the office is a text to say I'm safe.", "I"),
("My line manager is lovely but she's a district manager for the charity and has never done this job, so there's no one who really gets the day to day.", "I V"),
("being new to the role and the only one in my surgery i felt really isolated for the first six months", "I"),
("I have a team that supports me in theory, but I work on my own most of the time and it can feel quite lonely.", "I"),
("The monthly meet-ups with other link workers stop you feeling like you're out on a limb.", "I"),
("You don't have a colleague sat next to you to ask 'would you do this?', so you second guess yourself a lot.", "I"),
("Night shifts on the unit can be quite isolating because there's just me and one healthcare assistant for thirty residents.", "I"),
("I feel disconnected from the PCN, I'm employed by the council and nobody at the practice thinks of me as part of their team.", "I"),
("It's a lonely role, I think people underestimate that.", "I"),
("When my colleague went on maternity leave I was left running the service by myself with no one to cover or share the load.", "I"),
("Joining the regional network has been a lifeline, I finally have people to ring when I'm stuck.", "I"),
# ---- boundaries ----
("The receptionists have started booking people in with me for help filling in blue badge forms, which is really a job for the council.", "B"),
("One gentleman turns up at the surgery every day asking for me, even on days I'm not working there.", "B"),
("I've had to be quite firm that I'm not a counsellor, because people get referred to me for bereavement therapy.", "B"),
("We're meant to see people for up to six sessions but the GPs keep sending the same patients back, so it never really ends.", "B"),
("I've been roped into running the flu clinic queue because we're short staffed, and my own clients get cancelled.", "B"),
("A client asked if I could be a witness on her house sale, and I had to tell her I can't do that.", "B"),
("I don't check my work phone after five anymore, that was a decision I made for myself.", "B"),
("Its hard to know where my job stops and the mental health practitioners starts.", "B"),
("Nobody's written down what a care coordinator actually does, so every practice uses me differently.", "B"),
("The PCN manager asked me to cover reception on Fridays and I said no, that isn't what I'm employed for.", "B"),
("Patients with really high risk, people actively suicidal, are being sent to me as if I'm a crisis service.", "B"),
("I got attached to one family and found myself popping round on my day off, which in hindsight was not ok.", "B"),
("A lady knitted me a scarf and I wasn't sure whether I was allowed to accept it.", "B"),
("Clinical supervision has helped me feel confident saying 'that's not for me' when the GP tries to hand over a housing complaint.", "B"),
("the expectation from the practice is that we'll mop up everything they don't have time for", "B"),
("I've stopped giving out my mobile number because I had people ringing at nine at night.", "B"),
("Supervision was where I worked out that I can't fix everything for every person, my part is to connect them and step back.", "B"),
("Im supposed to be a health coach but I spend most of my day doing medication reviews prep for the pharmacist.", "B"),
("Some referrals are just 'please sort housing' with no other information, which is not what social prescribing is for.", "B"),
("When his benefits were stopped he wanted me to go to the tribunal with him, and part of me wanted to, but it's outside my role.", "B"),
("A patient found me on Instagram and started messaging my personal account.", "B"),
("I work from home two days and it's easy to let the laptop stay open all evening, so I put it in a cupboard at five.", "B"),
("We get told to do welfare calls to everyone on the shielding list as well as our own caseload, with no discussion about whether that's our remit.", "B"),
("Without clear referral criteria I end up holding complex cases that should be with the community mental health team.", "B"),
]
ITEMS_2 = [
# ---- burnout ----
("I was getting home and just sitting in the dark, I had nothing left.", "U"),
("My caseload went from about 150 to nearly 400 when they merged the PCNs, and I'm drowning.", "U"),
("i was off for a month with anxiety and my GP said it was work related", "U"),
("Some of the stories people tell you stay with you for days. You can't unhear them.", "U"),
("I wake up at 3am going through my list in my head.", "U"),
("I honestly thought about handing my notice in last winter because I couldn't see how I could carry on at that pace.", "U"),
("It's the relentlessness, one thing after another, no breathing space between calls.", "U"),
("I'm knackered all the time, my partner says I'm not myself.", "U"),
("There were weeks I was so stressed I was snapping at my kids.", "U"),
("By the end of the day I'm emotionally wrung out from holding everyone else's worries.", "U"),
("It can be quite overwhelming at times, you see so many people with so many problems.", "U"),
("the pressure is immense and I dont think its sustainable", "U"),
("I've noticed I'm becoming a bit hardened to people's stories, and that worries me, because it's not who I am.", "U"),
("Three of us have left in the last year, all saying the same thing: they were burnt out.", "U"),
("I get a knot in my stomach on Sunday evenings thinking about Monday.", "U"),
("Honestly, I'm just exhausted.", "U"),
("I had a panic attack in the car park before a home visit.", "U"),
("After the suicide of one of my clients I couldn't concentrate for weeks and nobody checked how I was.", "U"),
("I'm struggling to keep my head above water with the amount of referrals coming in.", "U"),
("Work follows me home, I'm cooking tea and thinking about whether Mrs so-and-so got her food parcel.", "U"),
("I love the job but I'm running on fumes at the moment.", "U"),
("There's a constant feeling of being behind, like you'll never catch up however hard you work.", "U"),
("My health has suffered, I've put on weight, I'm not sleeping and I've had two chest infections this winter.", "U"),
("Compassion fatigue is real in this job, and nobody prepares you for it.", "U"),
# ---- validation ----
("The GP came and found me after the MDT to say thank you for the work I'd done with a family, and that's stuck with me.", "V"),
("Half the practice still think I'm there to book taxis.", "V"),
("It was nice to hear other link workers say they'd struggled with the same kind of referral, it made me feel less daft.", "V"),
("My supervisor said I'd handled the safeguarding really well and followed the right process, which I needed to hear.", "V"),
("We're the lowest paid in the building and it shows how they see us.", "V"),
("Being asked to speak at the ICB event made me feel like the work we do is finally being noticed.", "V"),
("I feel respected in my team, my opinion counts in the meetings.", "V"),
("nobody ever asks how we're getting on or says thank you", "V"),
("The practice manager introduced me at the staff meeting as 'our social prescriber, who does amazing work', and I went bright red.", "V"),
("The clinicians treat us as a signposting service, they don't see the skill in what we do.", "V"),
("It's reassuring to know I'm on the right track.", "V"),
("Our outcomes were presented at the board and the chief exec mentioned us by name.", "V"),
("When you raise something in the MDT the consultant just talks over you, like you're not a real professional.", "V"),
("Sharing with the group made me realise I wasn't doing it wrong, everyone has the same frustrations.", "V"),
("It would be nice if the GPs understood what we could actually offer, instead of seeing us as a last resort.", "V"),
("Feedback from clients keeps me going: one man told me I'd saved his life, and I think about that on the bad days.", "V"),
("My manager backs my decisions, even when the practice pushes back.", "V"),
("It's a bit demoralising when you put together a proper plan and the doctor just ignores it.", "V"),
("getting the award from the PCN was a massive boost, it felt like someone had noticed", "V"),
("My judgement gets questioned all the time, by the practice and by the families.", "V"),
("The group gave me confidence that my instincts were right.", "V"),
("Social prescribing is still seen as the fluffy bit of healthcare.", "V"),
("In supervision it's the first time anyone has asked how I'm actually feeling about the work, it made me feel seen.", "V"),
("I feel undervalued, if I'm honest, especially on pay and progression.", "V"),
]
ITEMS_3 = [
# ---- no code: ordinary talk, referrals, training, IT, activities ----
("Most of my referrals come from the GPs, but we also get some from the pharmacists and the social prescribing hub.", ""),
("We use EMIS for the notes and there's a template for the first appointment.", ""),
("I did the Personalised Care Institute training in my first month, which was all online.", ""),
("On Tuesdays I'm at Church Street surgery and the rest of the week I'm at the main site.", ""),
("The walking group meets at the park gates at ten and anyone can turn up.", ""),
("We've set up a little library of leaflets in the waiting room about local groups.", ""),
("I usually start with a 'what matters to you' conversation and we go from there.", ""),
("our team meeting is on a monday morning, we go through the week ahead", ""),
("The new referral form went live in January and it's a lot quicker than the old one.", ""),
("I studied psychology at university and then worked in housing for a few years.", ""),
("The supervision sessions were on Zoom, which worked fine, the sound was a bit dodgy once.", ""),
("We measure wellbeing with the ONS4 at the start and at the last session.", ""),
("The food bank has moved to the community centre on Victoria Road.", ""),
("I've got a caseload of about 120 at the moment, which is about right for the hours I do.", ""),
("The carers' centre runs a drop-in on the first Wednesday of the month.", ""),
("A lot of what I do is helping people with benefit forms and getting them to Citizens Advice.", ""),
("I think the sessions were about an hour, which was long enough.", ""),
("We got funding for a gardening project at the allotments, so that's starting in April.", ""),
("The coffee morning at the library has really taken off, there were thirty people last week.", ""),
("I'd say about a third of my referrals are for low mood, and then money and housing.", ""),
("yeah the laptop they gave us is really slow, it takes ten minutes to log in", ""),
("I'm a registered nurse, I've been qualified for eleven years, mostly on surgical wards.", ""),
("We've started doing joint visits with the frailty nurse for people who've had a fall.", ""),
("The group facilitator sends round a summary after each session.", ""),
("The service is open to anyone over eighteen registered with a practice in the PCN.", ""),
("I text people the day before their appointment to remind them.", ""),
("There's a men's shed in the next village that a few of my clients go to.", ""),
("The ICB funds the posts through the ARRS scheme.", ""),
("Can you hear me okay? My connection keeps dropping.", ""),
("I think that's all I wanted to say really.", ""),
("We had a stall at the summer fair to tell people about the service.", ""),
("I mostly see people face to face, but some prefer a phone call.", ""),
("We have a shared drive where we keep the directory of community groups up to date.", ""),
("The training on motivational interviewing was really practical, I use it every day.", ""),
("The care home has forty beds over two floors, with a dementia unit upstairs.", ""),
("I do a mix of home visits and clinic appointments depending on what people need.", ""),
("i came from a retail background, managed a shop for ten years", ""),
("Personally I'd like more training on debt and welfare benefits.", ""),
("We've linked up with the leisure centre so people can get a discounted pass.", ""),
("The wellbeing cafe runs every Thursday and it's volunteer led.", ""),
# ---- no code: clients' loneliness, stress, boundaries; praise of services ----
("A lot of the older people I see haven't left the house in months and they're desperately lonely.", ""),
("He'd been isolated since his wife died and the only person he talked to was the postman.", ""),
("Loneliness comes up in nearly every first conversation I have with a new client.", ""),
("She was really stressed about her debts, so we made a plan and got her to the money advice service.", ""),
("Many of the carers I work with are exhausted and close to breaking point.", ""),
("We did some work on helping her set boundaries with her ex-partner.", ""),
("The patients love the art group, they say it's the highlight of their week.", ""),
("She felt so isolated in that flat on the fifteenth floor, so we got her onto the befriending scheme.", ""),
("His anxiety had come right down by the fourth session, he was a different man.", ""),
("The mums' group has been brilliant for new parents who don't know anyone in the area.", ""),
("The dementia cafe got a lovely write-up in the local paper.", ""),
("Lots of young people we see are burnt out from exams and caring for parents at the same time.", ""),
("He was signed off work with stress and worried about losing his job.", ""),
("She thanked the practice nurse for spotting the problem so early.", ""),
("Loneliness scores dropped for most people who finished the programme.", ""),
("We validated the new questionnaire against the ONS4 last year.", ""),
("The patient feedback about the service is overwhelmingly positive.", ""),
("Her daughter lives in Australia so she's very much on her own.", ""),
("He doesn't want to join a group, he prefers to do things by himself, and that's fine.", ""),
("The referral criteria are on the website, so practices know what we take.", ""),
("I work one to one with clients for up to twelve weeks.", ""),
("The PCN covers a big rural area, it's about forty minutes from one end to the other.", ""),
("I like Friday afternoons when the building's empty and I can get through my paperwork by myself.", ""),
("Our manager signs off the rota every month.", ""),
("The consultant signed off the discharge letter on Friday.", ""),
("The volunteers at the lunch club are fantastic, the people who go really appreciate them.", ""),
("We ask people to rate how isolated they feel on a scale of one to ten.", ""),
("I'm part of a team of four link workers and we share an office at the hub.", ""),
("The counselling service has a six week waiting list at the moment.", ""),
("The stress bucket is a tool I use with clients to talk about what fills them up.", ""),
("We're running a session on setting healthy boundaries for the carers' group next month.", ""),
("January is always hectic with new referrals, but it's fine, I plan for it.", ""),
("I left my previous job because we moved up north for my husband's work.", ""),
("Yes, I'd recommend the sessions to other coaches.", ""),
("The peer group meets every six weeks, on Teams, for about ninety minutes.", ""),
("My manager is based at the federation office and I see her once a month for one to ones.", ""),
("we had a lovely thank you card from the family of a gentleman who passed away, addressed to the whole surgery", ""),
("I think social prescribing works best when the community groups are properly funded.", ""),
("I'm on my own with clients for most of the day, which I like, it's what the job is.", ""),
("The residents really enjoyed the singing session, even the ones who don't usually join in.", ""),
]
ITEMS_4 = [
# ---- long, multi-sentence turns, multi-label ----
("So I started in 2021, in the middle of covid. I was working from my spare room, I'd never met the GPs face to face, and I honestly didn't know who I was supposed to ask about anything. The referrals were all over the place, people wanting help with things that had nothing to do with social prescribing.", "I B"),
("Um, I think the main thing for me is the caseload. It's just too big. I go home and I'm still thinking about people, I'm lying in bed working out who I need to ring. And the practice doesn't really get that, they think we just chat to people.", "U V"),
("Yeah, the peer sessions were really good. You sort of realise that everyone's dealing with the same stuff, the inappropriate referrals, the GPs not understanding what we do, and you don't feel like you're the only one going mad.", "I B V"),
("We had a training day last month on trauma informed practice. It was good, the trainer was very experienced. We're also getting a new system for recording outcomes in the spring.", ""),
("It's a funny role because you're sort of in the practice but not of it. I don't have a login for half the systems, I'm not on the rota, I'm not invited to the practice meeting. So you find out things third hand.", "I"),
("I was doing the vaccination clinics, the carers register, even covering reception at lunch. And on top of that my own caseload. By Christmas I was completely burnt out and I had two weeks off sick.", "B U"),
("The supervision has helped massively. Just having an hour where someone asks how I am and actually listens. I came out of the first one feeling lighter than I had in months.", "U V"),
("My clients are mostly older people who are lonely, lots of them widowed. We've got a good set of groups locally, the lunch club, the walking football, and I try and match people to something they'll actually enjoy.", ""),
("i think sometimes the gps dont know what we do. they send people with really complex mental health stuff and i'm not trained for that, so then im stuck holding it and worrying about it at night", "B U V"),
("There's no one else doing my job at my practice, so I'm quite isolated. The group was the first time I'd met other coaches. It was so reassuring to hear they had the same problems with the GPs.", "I V"),
("I had a really difficult week, a client disclosed abuse and I had to make a safeguarding referral. My supervisor was brilliant, she talked it through with me and said I'd done exactly the right thing.", "V"),
("The hardest part is saying no. Patients ring me because they trust me, and I end up helping with things that aren't my job, and then I'm behind on everything else and staying late every night.", "B U"),
("We set up a WhatsApp group for the link workers in the county. It's nice, you can post a question and someone always answers, even if it's just a 'yeah we get that too'.", "I V"),
("The PCN took on two more care coordinators this year. They're based at the other site. We have a team meeting once a month and I go through their caseloads with them.", ""),
("I'd say the role's evolved. At the start it was all about connecting people to groups, now it's more complex cases, housing, debt, mental health. I've had to learn a lot, and the training has been ok.", ""),
("To be honest I feel like a bit of a spare part in the practice. The GPs don't refer to me, the nurses don't know my name, and I'm sat in a room on my own all day waiting for the phone to ring.", "I V"),
("When my mum was ill I needed flexibility and my manager was brilliant about it, she sorted out my hours without any fuss.", ""),
("The thing that gets me is the emails at night. The practice manager sends stuff at ten o'clock and expects it done by the morning. I've started just not opening them, but then I lie awake worrying I've missed something.", "B U"),
("Before the group I genuinely thought I was rubbish at this job. Hearing other people talk about the same struggles was such a relief, I wasn't failing, the system is just really hard.", "V"),
("It's emotionally heavy, a lot of people are in crisis. In my old job I'd have turned to the person next to me, but here there's nobody, you just sit with it till supervision.", "I U"),
("Our service has really grown. We've got six link workers now and a team leader, and we all sit together at the hub on a Wednesday, which is nice.", ""),
("One client kept phoning me on my personal mobile after I'd closed her case, sometimes several times a day. It really got to me, I was anxious every time my phone buzzed, even on holiday.", "B U"),
("The clinical director has been a real champion for us. She brought us into the MDT, she asks for our opinion on patients, and the GPs have started to respect the role a lot more.", "V"),
("I cover five surgeries, so I'm always in someone else's room, hot desking, carrying my stuff in a bag. Nobody really knows me anywhere and I don't have a place to call base.", "I"),
("The pilot was meant to last a year and we didn't know if our jobs would continue, so the uncertainty was really stressful, a few people left because they couldn't cope with not knowing.", "U"),
("Honestly I just wanted someone to say 'you're doing ok'. You never hear that in primary care.", "V"),
("Part of me wanted to keep seeing her after the six sessions because she had nobody else, but supervision helped me see that wasn't fair on her or on me, and we planned a proper ending.", "B"),
("The GPs refer anything they can't fix in ten minutes, and I'm the dumping ground. Then the waiting list gets longer and I get the complaints. I cried in the car twice last week.", "B U"),
("It's hard, I'm the only counsellor in the team, there's no one to check my thinking with and no one who understands the emotional side of the job. Some days it really wears me down.", "I U"),
("The best bit was hearing how other areas did things. One lady said their practice gives them a protected hour for admin, so I'm going to ask for that.", ""),
("Sometimes I feel like the GPs are just ticking a box by having us, like we're there for the funding, not because they value what we do.", "V"),
("We get such lovely feedback from patients, and the practice manager always passes it on to us and says well done.", "V"),
("I'd started to dread going in. Not because of the patients, they're lovely, but because of the practice, where I'm treated like an admin assistant and given all the jobs nobody else wants.", "U B V"),
("Theres no clear job description, the practice wants one thing, my employer wants another, and I'm in the middle trying to keep everyone happy, which is exhausting.", "B U"),
("After meeting the other link workers I don't feel so alone with it, and it's good to know that my worries are normal.", "I V"),
]
ITEMS_5 = [
# ---- care workers, nurses, counsellors, supervisors; mixed ----
("On a double-up call the other carer sometimes doesn't turn up, so you're doing a hoist on your own and praying nothing goes wrong.", "I"),
("We're always short on the rota, I've done six twelve-hour shifts in a row and I'm shattered.", "U"),
("The family asked me to do her shopping and collect her prescriptions, which isn't on the care plan, and the office said just do it.", "B"),
("The residents' families always say thank you, but management never do, it's like we're invisible to them.", "V"),
("As a supervisor I see a lot of link workers who are carrying far too much, and they don't realise how close to burnout they are.", "U"),
("In supervision we talk a lot about what's theirs to hold and what isn't, because they come in wanting to rescue everyone.", "B"),
("The supervisees often tell me it's the only space where anyone asks how they're doing.", "V"),
("Many of them are lone workers in practices, with no one to debrief with, and the group is where they find each other.", "I"),
("I'm a practice nurse, I refer to the link worker quite a lot, mostly for people who need help with housing or money.", ""),
("The link worker has been brilliant for our patients, honestly, the GPs couldn't manage without her now.", ""),
("As a district nurse you're out on your own all day and if something goes wrong you're ringing round trying to find someone to talk to.", "I"),
("I've been nursing for twenty years and I've never been this tired, the staffing is the worst I've seen.", "U"),
("The ward sister said she was proud of how I'd handled the family complaint, which was a big deal for me.", "V"),
("Patients think the counsellor will be available forever and I have to hold a firm end date, which they find hard and so do I.", "B"),
("We're a small team of three counsellors so there's always someone to talk to after a hard session.", ""),
("My clients are often carrying huge amounts of trauma and I notice it in my own body now, headaches, tight chest.", "U"),
("The agency gave me a client who needed nursing care, not a carer, and I felt out of my depth and told them I wasn't trained to do her catheter.", "B"),
("Our manager has started a thank you board in the staff room, and people actually look at it.", "V"),
("the rota's changed to longer calls which is better for the clients tbh", ""),
# ---- implicit, lower case, typos ----
("im the only one who does this job in the whole pcn", "I"),
("I feel so alone in this role sometimes", "I"),
("no1 to ask when im not sure what to do with a referal", "I"),
("they just dont get what a link worker is for", "V"),
("totally frazzled by the end of the week", "U"),
("role creep is a massive issue, we've become the catch-all for the practice", "B"),
("cant switch off at night, my brain just keeps going", "U"),
("nice to feel apreciated for once", "V"),
("practice asked me to chase DNA's for the nurses, not my job but i did it anyway", "B"),
("worn out and fed up tbh", "U"),
("its all on me, nobody to share it with", "I"),
("The other link worker and me cover for each other and meet up every morning, so I never feel on my own.", ""),
("I don't know what a link worker is supposed to do either, to be fair, the job description is so vague.", "B"),
# ---- more near misses ----
("The group is great for clients who feel isolated, they come for the tea and stay for the company.", ""),
("He drew a firm line under his drinking after the second session and he's not looked back.", ""),
("We had a patient who was completely overwhelmed by letters from the council, so we went through them together.", ""),
("She said she felt really valued by the volunteers at the community garden.", ""),
("The stress and wellbeing questionnaire is part of the first assessment.", ""),
("I support people to build their confidence and feel less alone.", ""),
("The boundary between the two PCNs runs right down the high street.", ""),
("Our referral pathway to the community mental health team is well established now.", ""),
("The practice holds a protected learning afternoon once a month.", ""),
("Caseloads vary a lot between link workers, from about eighty to three hundred.", ""),
("I've just come back from annual leave, so I'm catching up.", ""),
("We run a carers' support group where people can share how exhausted they are without being judged.", ""),
("He appreciated the lift to the hospital more than anything.", ""),
("One of my clients has been burnt out from years of caring for her husband with dementia.", ""),
("I keep clients' notes separate from my own reflections, which I do in my journal.", ""),
("We had an audit of our records and everything was in order.", ""),
("Supervision happens monthly and it's with a qualified counsellor from outside the practice.", ""),
("I was tired after the drive back from the conference but it was a good day.", ""),
("My manager approved the training budget for the suicide prevention course.", ""),
("I like working independently, planning my own diary, it suits me.", ""),
# ---- more positives, varied ----
("Whenever I raise a concern in the practice it gets brushed off, like I'm overreacting.", "V"),
("I felt like a fraud at first, but my supervisor reminded me how far I'd come.", "V"),
("The GP partners have no idea what social prescribing actually involves.", "V"),
("We need to be in the clinical meetings, not left outside the door.", "I V"),
("Its good to know your not the only one", "I V"),
("When somebody dies on your caseload there's nobody to tell, you just move onto the next call.", "I U"),
("I took the job to help people, not to spend my days booking blood tests.", "B"),
("I've been asked to do smoking cessation, weight management and now the long covid clinic, none of which I was trained for.", "B"),
("One of my patients rings the surgery asking for me by name every day and gets upset if I'm busy, I've had to agree a once a week call with her.", "B"),
("It's constant, I never get a lunch break and I'm behind on my notes from last week.", "U"),
("I'm in a really good place with the job now, but last year I was on my knees.", "U"),
("I went off with stress in February and came back on a phased return.", "U"),
("The worst bit is feeling you're letting people down because there aren't enough hours in the day.", "U"),
("I'm not on the practice email list so I miss things like the staff training days.", "I"),
("I don't have a desk, I don't have a phone, I don't have anyone to ask, I just sort of float.", "I"),
("Link workers often feel like guests in the practice rather than part of the team.", "I V"),
("It's lovely when a client comes back to say they've made friends at the group, that makes it all worth it.", "V"),
("Being listened to by the other coaches made me feel that my experience counted.", "V"),
("We asked for clearer referral criteria for a year before anything happened.", "B"),
("Sometimes I'm doing the job of a mental health nurse on a band four salary.", "B V"),
]
ITEMS_6 = [
# ---- short survey-style answers about supervision and support ----
("A safe space to offload after a heavy week, I leave feeling much less stressed.", "U"),
("Space to be heard and to know my feelings are normal.", "V"),
("Good to connect with others outside my own PCN.", "I"),
("More sessions please, and at a time that doesn't clash with clinics.", ""),
("It was well organised and the facilitator kept us to time.", ""),
("Helped me to set clearer limits with the practice about what I will and won't take on.", "B"),
("It made me feel like I wasn't alone in the role any more.", "I"),
("The sessions helped me cope when I was close to going off sick.", "U"),
("Would prefer face to face, Zoom is ok but it's not the same.", ""),
("Being treated as an equal by the other professionals in the room was refreshing.", "V"),
("Useful to learn about resources in other areas.", ""),
("Less anxious about my caseload now that I've got somewhere to take it.", "U"),
("I felt listened to and not judged.", "V"),
("Clinical supervision should be standard for every link worker, not a pilot.", ""),
("The reflective practice model was new to me but I got used to it.", ""),
("honestly it stopped me quitting", "U"),
("i work alone mostly so it was good to have that contact", "I"),
("Clarified what is and isn't my responsibility when a patient discloses something serious.", "B"),
("Nothing to add, it was all good.", ""),
("Knowing the other link workers feel the same about the GPs made a big difference.", "V"),
]

ITEMS = ITEMS_1 + ITEMS_2 + ITEMS_3 + ITEMS_4 + ITEMS_5 + ITEMS_6


def split(items: list[tuple[str, str]]) -> tuple[list[dict], list[dict]]:
    """Dev and held-out records, stratified by label set, with stable ids."""
    records = [{"id": f"zs{n:03d}", "text": text,
                "codes": sorted(CODES[c] for c in label.split())}
               for n, (text, label) in enumerate(items, start=1)]
    groups: dict[tuple[str, ...], list[dict]] = {}
    for record in records:
        groups.setdefault(tuple(record["codes"]), []).append(record)
    rng = random.Random(SEED)
    dev, heldout = [], []
    for key in sorted(groups):
        group = groups[key]
        rng.shuffle(group)
        cut = round(len(group) * HELDOUT_SHARE)
        heldout.extend(group[:cut])
        dev.extend(group[cut:])
    return sorted(dev, key=lambda r: r["id"]), sorted(heldout, key=lambda r: r["id"])


def main() -> None:
    assert len({text for text, _ in ITEMS}) == len(ITEMS), "duplicate passage"
    folder = Path(__file__).resolve().parent
    for name, records in zip(("zeroshot_dev.jsonl", "zeroshot_heldout.jsonl"), split(ITEMS)):
        with open(folder / name, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{name}: {len(records)} passages")


if __name__ == "__main__":
    main()
