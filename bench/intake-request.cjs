// Loaded by autocannon's worker thread (it cannot receive functions): one new request body
// per call. About one caller in three is already known, so contacts are matched as well as created.
'use strict';
let n = 0;
module.exports = function setupRequest(req) {
  n++;
  const caller = Math.floor(Math.random() * 20000);
  return {
    ...req,
    body: JSON.stringify({
      subject: `Demande ${n} : je n'arrive plus à me connecter`,
      description: 'Le site me dit que mon mot de passe est incorrect depuis ce matin.',
      channel: 'phone',
      contact: { name: `Client ${caller}`, phone: `06${String(10000000 + caller).padStart(8, '0')}` },
    }),
  };
};
