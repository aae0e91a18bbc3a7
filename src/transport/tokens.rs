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

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    /// Consumes a comment starting at `(`; returns its inner text.
    fn comment(&mut self) -> &'a str {
        let start = self.pos + 1;
        let mut depth = 0usize;
        let mut escaped = false;
        for (offset, c) in self.rest().char_indices() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        let end = self.pos + offset;
                        self.pos = end + 1;
                        return self.text.get(start..end).unwrap_or("");
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
        for (offset, c) in self.rest().char_indices().skip(1) {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '"' => {
                    let end = self.pos + offset;
                    self.pos = end + 1;
                    return self.text.get(start..end).unwrap_or("");
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
        let mut closing: Option<char> = None;
        let mut end = self.text.len();
        for (offset, c) in self.rest().char_indices() {
            match c {
                c if Some(c) == closing => closing = None,
                '[' if closing.is_none() => closing = Some(']'),
                '<' if closing.is_none() => closing = Some('>'),
                // Even inside a literal these end the word: an unclosed `<`
                // must not swallow the rest of the field.
                '(' | '"' | ';' => {
                    end = self.pos + offset;
                    break;
                }
                '=' if self.split_equals => {
                    end = self.pos + offset;
                    break;
                }
                c if c.is_whitespace() && closing.is_none() => {
                    end = self.pos + offset;
                    break;
                }
                _ => {}
            }
        }
        self.pos = end;
        self.text.get(start..end).unwrap_or("")
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let skipped = self.rest().len() - self.rest().trim_start().len();
        self.pos += skipped;
        let c = self.rest().chars().next()?;
        Some(match c {
            '(' => Token::Comment(self.comment()),
            '"' => Token::Quoted(self.quoted()),
            ';' => {
                self.pos += 1;
                Token::Semicolon
            }
            '=' if self.split_equals => {
                self.pos += 1;
                Token::Equals
            }
            ')' => {
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
