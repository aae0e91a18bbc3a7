"""Submits one message through the lab sender's submission port (STARTTLS,
then AUTH), as a mail client would.   python3 send.py RCPT[,RCPT…] SUBJECT RUN < body
With a fourth argument "raw", stdin is the whole message (its headers after
the lab's From/To/Subject/Message-ID), sent byte for byte."""
import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.utils import make_msgid

RUN = sys.argv[3] if len(sys.argv) > 3 else "target/lab/run"
RAW = len(sys.argv) > 4 and sys.argv[4] == "raw"
message_id = make_msgid(domain="rcpt.lab")
recipients = sys.argv[1].split(",")
if RAW:
    head = f"From: alice@rcpt.lab\r\nTo: {', '.join(recipients)}\r\nSubject: {sys.argv[2]}\r\nMessage-ID: {message_id}\r\n"
    raw = head.encode() + sys.stdin.buffer.read()
else:
    message = EmailMessage()
    message["From"] = "alice@rcpt.lab"
    message["To"] = ", ".join(recipients)
    message["Subject"] = sys.argv[2]
    message["Message-ID"] = message_id
    message.set_content(sys.stdin.read())
context = ssl.create_default_context(cafile=f"{RUN}/tls/ca.crt")
# From webmail.lab's address, as Roundcube submits.
with smtplib.SMTP("mail.sender.lab", 587, local_hostname="webmail.lab", timeout=20, source_address=("198.51.100.1", 0)) as smtp:
    smtp.starttls(context=context)
    smtp.login("alice@rcpt.lab", "lab-password")
    if RAW:
        smtp.sendmail("alice@rcpt.lab", recipients, raw)
    else:
        smtp.send_message(message)
print(message_id)
