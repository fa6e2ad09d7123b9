"""A candidate who withdraws their consent in /dulieu (issue 16): ethnicity and religion, stored
only while a consent in force names them, are cleared at once; the rest of the branch's register
entry stays until the branch acts on the request (erasure is a request of its own)."""

from sqlmodel import select

from models.candidate import Candidate
from models.consent import Consent
from models.stage import Role
from tests.flows.test_start import invite


async def _an(demo) -> Candidate:
    async with demo.sessions() as session:
        return (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()


async def test_withdrawing_clears_ethnicity_and_religion(talk, demo):
    an = talk("an")
    await an.say(f"/start {await invite(demo, role=Role.candidate, candidate_id=(await _an(demo)).id)}")
    await an.say("2")  # agrees, ethnicity and religion included
    async with demo.sessions() as session, session.begin():
        record = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
        record.ethnic_minority = record.religious = True  # as the secretary's /sua may then set them
    for text in ["/dulieu", "2", "1"]:
        await an.say(text)
    after = await _an(demo)
    assert (after.ethnic_minority, after.religious) == (False, False)
    assert (after.full_name, str(after.birth_date)) == ("Nguyễn Văn An", "1998-04-12")  # the entry itself stays
    async with demo.sessions() as session:
        consents = (await session.exec(select(Consent).where(Consent.candidate_id == after.id))).all()
    assert [c.withdrawn_at is not None for c in consents] == [True]


async def test_another_candidates_flags_are_left_alone(talk, demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await session.exec(select(Candidate).where(Candidate.full_name == "Trần Thị Bích Ngọc"))).one()
        ngoc.ethnic_minority = True
    an = talk("an")
    await an.say(f"/start {await invite(demo, role=Role.candidate, candidate_id=(await _an(demo)).id)}")
    for text in ["1", "/dulieu", "2", "1"]:
        await an.say(text)
    async with demo.sessions() as session:
        ngoc = (await session.exec(select(Candidate).where(Candidate.full_name == "Trần Thị Bích Ngọc"))).one()
    assert ngoc.ethnic_minority is True
