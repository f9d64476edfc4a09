"""Each person chooses the language of their e-mails; an invitation keeps the one it was sent in."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_token_scope_and_audit_actions'),
    ]

    operations = [
        migrations.AddField(
            model_name='invitation',
            name='language',
            field=models.CharField(choices=[('ar', 'Arabic'), ('zh-hans', 'Chinese'), ('en', 'English'), ('fr', 'French'), ('ru', 'Russian'), ('es', 'Spanish')], default='en', help_text='The language the invitation e-mail is written in.', max_length=10, verbose_name='language of the invitation'),
        ),
        migrations.AddField(
            model_name='user',
            name='language',
            field=models.CharField(choices=[('ar', 'Arabic'), ('zh-hans', 'Chinese'), ('en', 'English'), ('fr', 'French'), ('ru', 'Russian'), ('es', 'Spanish')], default='en', help_text='The language of the e-mails PAKS sends to this person.', max_length=10, verbose_name='language for e-mails'),
        ),
    ]
