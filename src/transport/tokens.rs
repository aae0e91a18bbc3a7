//! A tokenizer for structured header fields in the style of RFC 5322/5321:
//! words, quoted strings, (nested) comments and semicolons. The Received
//! trace grammar and Authentication-Results share it.
//!
//! It never fails: unbalanced comments and quotes run to the end of the text,
//! which is what a reader of a damaged header would assume too. Every step
//! consumes at least one character, so time is linear in the input.

/// One lexical element of a structured header field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// A run of characters up to white space, `(`, `"` or `;` (and `=` when
    /// splitting on it). Domain literals (`[…]`) and angle addresses (`<…>`)
    /// stay whole even if they contain separators.
    Word(&'a str),
    /// The content of a quoted string, without the quotes.
    Quoted(&'a str),
    /// The content of a comment without its outer parentheses; nested
    /// comments stay inside as written.
    Comment(&'a str),
    /// `;`
    Semicolon,
    /// `=`, only produced by [`tokenize_with_equals`].
    Equals,
}

/// Splits `text` into tokens; `=` stays part of words.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    Lexer {
        text,
        pos: 0,
        split_equals: false,
    }
    .collect()
}

/// Splits `text` into tokens with `=` as a token of its own, as the
/// method/property syntax of Authentication-Results needs.
pub fn tokenize_with_equals(text: &str) -> Vec<Token<'_>> {
    Lexer {
        text,
        pos: 0,
        split_equals: true,
    }
    .collect()
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    split_equals: bool,
}

// The structural characters are all ASCII, and a UTF-8 byte below 0x80 is
// always a whole character, so the lexer walks bytes; only a non-ASCII byte
// is decoded, to honour Unicode white space as `char::is_whitespace` does.
impl<'a> Lexer<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The character starting at byte `at` when it is non-ASCII white space: its length.
    fn unicode_space_at(&self, at: usize) -> Option<usize> {
        let c = self.text.get(at..)?.chars().next()?;
        c.is_whitespace().then(|| c.len_utf8())
    }

    /// The length of the character starting at byte `at` (at least 1).
    fn char_len_at(&self, at: usize) -> usize {
        self.text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(1, char::len_utf8)
    }

    fn skip_whitespace(&mut self) {
        while let Some(&b) = self.bytes().get(self.pos) {
            if b.is_ascii_whitespace() || b == 0x0b {
                self.pos += 1;
            } else if b >= 0x80 {
                match self.unicode_space_at(self.pos) {
                    Some(len) => self.pos += len,
                    None => return,
                }
            } else {
                return;
            }
        }
    }

    /// Consumes a comment starting at `(`; returns its inner text.
    fn comment(&mut self) -> &'a str {
        let start = self.pos + 1;
        let mut depth = 0usize;
        let mut escaped = false;
        for (offset, &b) in self.bytes().iter().enumerate().skip(self.pos) {
            if escaped {
                escaped = false;
                continue;
            }
            match b {
                b'\\' => escaped = true,
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.pos = offset + 1;
                        return self.text.get(start..offset).unwrap_or("");
                    }
                }
                _ => {}
            }
        }
        let inner = self.text.get(start..).unwrap_or("");
        self.pos = self.text.len();
        inner
    }

    /// Consumes a quoted string starting at `"`; returns its content.
    fn quoted(&mut self) -> &'a str {
        let start = self.pos + 1;
        let mut escaped = false;
        for (offset, &b) in self.bytes().iter().enumerate().skip(start) {
            if escaped {
                escaped = false;
                continue;
            }
            match b {
                b'\\' => escaped = true,
                b'"' => {
                    self.pos = offset + 1;
                    return self.text.get(start..offset).unwrap_or("");
                }
                _ => {}
            }
        }
        let inner = self.text.get(start..).unwrap_or("");
        self.pos = self.text.len();
        inner
    }

    fn word(&mut self) -> &'a str {
        let start = self.pos;
        let mut closing: Option<u8> = None;
        let mut at = start;
        while let Some(&b) = self.bytes().get(at) {
            match b {
                b if Some(b) == closing => closing = None,
                b'[' if closing.is_none() => closing = Some(b']'),
                b'<' if closing.is_none() => closing = Some(b'>'),
                // Even inside a literal these end the word: an unclosed `<`
                // must not swallow the rest of the field.
                b'(' | b'"' | b';' => break,
                b'=' if self.split_equals => break,
                b if (b.is_ascii_whitespace() || b == 0x0b) && closing.is_none() => break,
                b if b >= 0x80 => {
                    if closing.is_none() && self.unicode_space_at(at).is_some() {
                        break;
                    }
                    at += self.char_len_at(at);
                    continue;
                }
                _ => {}
            }
            at += 1;
        }
        self.pos = at;
        self.text.get(start..at).unwrap_or("")
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        self.skip_whitespace();
        let b = *self.bytes().get(self.pos)?;
        Some(match b {
            b'(' => Token::Comment(self.comment()),
            b'"' => Token::Quoted(self.quoted()),
            b';' => {
                self.pos += 1;
                Token::Semicolon
            }
            b'=' if self.split_equals => {
                self.pos += 1;
                Token::Equals
            }
            b')' => {
                // A stray closing parenthesis: skip it as a word of its own.
                self.pos += 1;
                Token::Word(")")
            }
            _ => Token::Word(self.word()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Token::*;
    use super::*;

    #[test]
    fn non_ascii_text_and_unicode_white_space() {
        assert_eq!(
            tokenize("\u{a0}mx.b\u{fc}ro.example\u{2003}(f\u{fc}r \\\u{e9})x;\u{a0}\"\u{e9}\""),
            vec![
                Word("mx.b\u{fc}ro.example"),
                Comment("f\u{fc}r \\\u{e9}"),
                Word("x"),
                Semicolon,
                Quoted("\u{e9}")
            ]
        );
        assert_eq!(
            tokenize("[a\u{a0}b] c"),
            vec![Word("[a\u{a0}b]"), Word("c")]
        );
    }

    #[test]
    fn nested_comments_stay_whole() {
        let tokens = tokenize("from a (b (c) d) by x; Tue");
        assert_eq!(
            tokens,
            vec![
                Word("from"),
                Word("a"),
                Comment("b (c) d"),
                Word("by"),
                Word("x"),
                Semicolon,
                Word("Tue")
            ]
        );
    }

    #[test]
    fn domain_literals_and_addresses_are_one_word() {
        let tokens = tokenize("from [IPv6:2001:db8::1] for <a b@example.org>");
        assert_eq!(
            tokens,
            vec![
                Word("from"),
                Word("[IPv6:2001:db8::1]"),
                Word("for"),
                Word("<a b@example.org>")
            ]
        );
    }

    #[test]
    fn quoted_strings_and_escapes() {
        let tokens = tokenize(r#"(a \) b) "x \" y""#);
        assert_eq!(tokens, vec![Comment(r"a \) b"), Quoted(r#"x \" y"#)]);
    }

    #[test]
    fn unbalanced_input_runs_to_the_end() {
        assert_eq!(tokenize("a (b (c"), vec![Word("a"), Comment("b (c")]);
        assert_eq!(tokenize("\"open"), vec![Quoted("open")]);
        assert_eq!(tokenize("a ) b"), vec![Word("a"), Word(")"), Word("b")]);
    }

    #[test]
    fn equals_split_on_request() {
        assert_eq!(
            tokenize_with_equals("spf=pass"),
            vec![Word("spf"), Equals, Word("pass")]
        );
        assert_eq!(tokenize("spf=pass"), vec![Word("spf=pass")]);
    }
}
