"""Sentences that no code of a health and care codebook should take: the "none" reference.

The semantic coder scores a text against each code RELATIVE to this background and to the
codebook's counterexamples: a code applies only when the text is nearer to the code's examples
than to anything here. All codes of a codebook share a domain, so raw similarity is high
everywhere (with MiniLM, "The car park is always full on Mondays." once scored 0.34 against
burnout examples); what separates a code is being nearer to it than to ordinary talk.

The sentences are deliberately ordinary and in-domain: logistics of health and care work
(rooms, rotas, systems, forms, travel, training), services and activities described plainly,
and interview small talk. They say nothing about how the worker feels, so they are neutral
for any codebook about experiences of work. Near misses particular to a codebook (clients'
loneliness for a code about the worker's isolation) belong in its counterexamples instead.
"""

BACKGROUND = (
    # logistics of the work: rooms, rotas, systems, forms, travel
    "The car park is always full on Mondays.",
    "We moved offices in the spring.",
    "I usually have lunch at about half twelve.",
    "The IT system was updated last month.",
    "I started in this post about two years ago.",
    "The meeting is on the second Tuesday of every month.",
    "I drive between the two surgeries.",
    "We use Teams for most things now.",
    "The building has a small kitchen on the first floor.",
    "I work four days a week.",
    "The form has three sections and a signature box.",
    "Our team covers the north of the city.",
    "I did my training at the local college.",
    "The printer on our floor is often out of paper.",
    "Appointments are booked through reception or online.",
    "We record every contact on SystmOne using a template.",
    "The clinic runs from nine until five, with a break for lunch.",
    "I got a new laptop and phone when I started.",
    "The sessions were held on Zoom on a Thursday afternoon.",
    "There's a shared inbox that the admin team checks each morning.",
    "I'm employed by the federation and work across the primary care network.",
    "Most referrals arrive through a shared NHS mailbox.",
    "We send a letter to the GP when someone is discharged from the service.",
    "The training was spread over three days, mostly online.",
    "We fill in a monthly report with the number of people seen.",
    "Our service has a leaflet and a page on the practice website.",
    "The rota is sent out a month in advance.",
    "I park at the health centre and walk to the community hub.",
    "I have a degree in sociology and worked in a housing association before this.",
    "The facilitator sent the dates for the next sessions by email.",
    # activities and services described plainly
    "The community centre runs a lunch club on Wednesdays.",
    "There is a walking group that meets by the library every Saturday.",
    "The craft group is run by volunteers from the church.",
    "The pharmacy is next door to the surgery.",
    "People can self-refer by phone or through the website.",
    "We offer up to six appointments, face to face or by phone.",
    "The outcome measure is completed at the first and last appointment.",
    # interview talk with nothing to code
    "Can you hear me all right?",
    "Yes, that's right.",
    "I think that's everything, thank you.",
    "Sorry, could you repeat the question?",
    "Okay, yeah, that makes sense.",
    "Let me just think about that for a second.",
    "It was a sunny day so we went for a walk.",
    "I'm not sure, I'd have to check the dates.",
    "Hmm, I suppose it depends on the week.",
    "That's about it really.",
)
